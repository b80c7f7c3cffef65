"""Celery tasks of the staff app: thin, idempotent, each calling a service. Imported here so that
Celery's autodiscovery (which imports this package) registers them."""

from . import recruitment, training  # noqa: F401
