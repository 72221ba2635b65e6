"""ticket-router: routes telecom customer-support tickets to the right team."""

__version__ = "0.1.0"
