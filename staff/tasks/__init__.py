"""Celery tasks of the staff app: thin, idempotent, each calling a service."""
