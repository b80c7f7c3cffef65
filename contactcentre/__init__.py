"""Tawasul's project package: settings, URLs, the Celery app, and the cross-cutting plumbing
(heartbeat, audit trail, API error shape, navigation) that every domain app shares."""

from .celery import app as celery_app

__all__ = ("celery_app",)
