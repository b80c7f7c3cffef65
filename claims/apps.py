from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    """Plans, policies, providers, cover checks, pre-authorisation and claim settlement."""

    name = "claims"
    verbose_name = _("Cover and claims")
