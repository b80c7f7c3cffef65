"""Celery tasks of the calls app (thin and idempotent: each calls a service). Celery's
autodiscovery imports this package; each area's module is imported here."""
