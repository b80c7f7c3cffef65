"""The surveys app's domain errors (mapped once to the API's JSON errors and to the pages' messages)."""

from django.utils.translation import gettext_lazy as _

from contactcentre.exceptions import Conflict, DomainError


class LinkUnusable(DomainError):
    """This survey link cannot be used."""

    status_code = 410
    code = "link_unusable"

    def __init__(self, reason: str):
        super().__init__(str(LINK_MESSAGES[reason]))
        self.reason = reason  # "forged", "expired", "used" or "closed"


LINK_MESSAGES = {
    "forged": _("This survey link is not valid. Please check that you copied the whole link."),
    "expired": _("This survey link has expired. Thank you for wanting to help."),
    "used": _("This survey has already been answered. Thank you for your feedback."),
    "closed": _("This survey has closed. Thank you for wanting to help."),
}


class AlreadyAnswered(Conflict):
    """This has already been answered."""

    code = "already_answered"
