"""The domain errors of cover and claims (mapped once to the API's error shape and to form errors)."""

from django.utils.translation import gettext_lazy as _

from contactcentre.exceptions import Conflict, DomainError, InvalidTransition


class ClaimTransitionRefused(InvalidTransition):
    def __init__(self, current: str, target: str):
        from .models import ClaimStatus

        labels = dict(ClaimStatus.choices)
        super().__init__(
            str(
                _("A claim that is %(current)s cannot become %(target)s.")
                % {
                    "current": str(labels.get(current, current)).lower(),
                    "target": str(labels.get(target, target)).lower(),
                }
            ),
            fields={"status": [current]},
        )
        self.current = current


class ClaimChangedMeanwhile(Conflict):
    def __init__(self, expected: int, actual: int):
        super().__init__(
            str(_("Someone else changed this claim meanwhile: reload it and try again.")),
            fields={"version": [str(actual)]},
        )


class ClaimAlreadyPaid(Conflict):
    code = "already_paid"

    def __init__(self):
        super().__init__(str(_("This claim has already been paid.")))


class NotCovered(DomainError):
    code = "not_covered"

    def __init__(self, message: str):
        super().__init__(message)


class NoCoverOnDate(DomainError):
    code = "no_active_policy"

    def __init__(self):
        super().__init__(
            str(_("The member has no policy covering the treatment date.")),
            fields={"treatment_date": [str(_("No policy covers this date."))]},
        )
