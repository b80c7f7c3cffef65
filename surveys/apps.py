from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Post-contact surveys, SERVQUAL, focus groups and closing the loop."""

    name = "surveys"
    verbose_name = _("Surveys")
