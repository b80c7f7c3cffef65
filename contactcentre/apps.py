from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContactCentreConfig(AppConfig):
    name = "contactcentre"
    verbose_name = _("Contact centre")

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the OpenAPI description of token auth

        # Periodic schedules live in the database (django-celery-beat); make sure the ones the
        # code depends on exist after every migrate, including a test database's creation.
        post_migrate.connect(_sync_schedules, sender=self, dispatch_uid="contactcentre-schedules")


def _sync_schedules(sender, using="default", **kwargs) -> None:
    from .services import schedules_sync

    schedules_sync(using=using)
