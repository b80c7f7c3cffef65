from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    """Contacts (calls, letters, emails), queues, the agent desktop, callbacks, complaints and the
    nurse advice line; the telephony integration API."""

    name = "calls"
    verbose_name = _("Calls")
