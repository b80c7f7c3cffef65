"""CSAT, NPS and CES from counts (docs/kpis.md, ../shared/domain.md "Measuring satisfaction")."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CSAT_SCALE = (1, 5)
NPS_SCALE = (0, 10)
CES_SCALE = (1, 7)
SCALES = {"csat": CSAT_SCALE, "nps": NPS_SCALE, "ces": CES_SCALE}


def percentage(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


@dataclass(frozen=True)
class Csat:
    responses: int
    satisfied: int  # answered 4 or 5

    @property
    def score(self) -> float | None:
        """Satisfied / all responses, as a percentage."""
        return percentage(self.satisfied, self.responses)


@dataclass(frozen=True)
class Nps:
    responses: int
    promoters: int  # 9-10
    detractors: int  # 0-6

    @property
    def passives(self) -> int:
        return self.responses - self.promoters - self.detractors

    @property
    def score(self) -> float | None:
        """% promoters - % detractors, -100 to 100."""
        if not self.responses:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.responses

    @property
    def margin(self) -> float | None:
        """The 95% margin of error: 1.96 x 100 x sqrt((p + d - (p - d)^2) / n)."""
        if not self.responses:
            return None
        p, d = self.promoters / self.responses, self.detractors / self.responses
        return 1.96 * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / self.responses)


@dataclass(frozen=True)
class Ces:
    responses: int
    total: int  # the sum of the answers, 1-7 each
    easy: int  # answered 5-7

    @property
    def score(self) -> float | None:
        """Mean agreement, 1-7."""
        return None if not self.responses else self.total / self.responses

    @property
    def easy_share(self) -> float | None:
        return percentage(self.easy, self.responses)


def is_satisfied(csat: int) -> bool:
    return csat >= 4


def is_promoter(nps: int) -> bool:
    return nps >= 9


def is_detractor(nps: int) -> bool:
    return nps <= 6


def is_easy(ces: int) -> bool:
    return ces >= 5


def scale_error(kind: str, value: int) -> str | None:
    """The message for a score outside its scale, or None."""
    low, high = SCALES[kind]
    if low <= value <= high:
        return None
    return str(_("Choose a score from %(low)s to %(high)s.") % {"low": low, "high": high})


def loop_trigger(*, csat: int | None, nps: int | None) -> str | None:
    """Why a response needs its loop closed: a detractor (NPS 0-6), or a CSAT of 1-2; None if neither."""
    if nps is not None and is_detractor(nps):
        return "detractor"
    if csat is not None and csat <= 2:
        return "dissatisfied"
    return None
