from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    """KPIs, service standards, the five-gap dashboard, workforce planning and scheduled reports."""

    name = "performance"
    verbose_name = _("Performance")
