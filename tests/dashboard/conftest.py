from dashboardtest import dashboard  # noqa: F401 - fixture: a demo database the pages read
