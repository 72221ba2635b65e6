from backends import backend_url, service_store  # noqa: F401 - fixtures: both backends
