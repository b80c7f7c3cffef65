from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    """Members, households, corporate accounts, identification and verification, the customer 360."""

    name = "customers"
    verbose_name = _("Customers")
