"""The Celery app. Broker: Redis when REDIS_URL is set, else kombu's filesystem transport
(settings.py chooses); schedules live in the database (django-celery-beat)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")

app = Celery("contactcentre")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _make_broker_folder(**_kwargs) -> None:
    """The filesystem broker needs its folder to exist before the first poll."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        Path(settings.CELERY_BROKER_DIR).mkdir(parents=True, exist_ok=True)
