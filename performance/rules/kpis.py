"""The KPIs, from sums (`Measures`, `StateMeasures`): every definition of domain.md "Contacts and
KPIs", one function each, and docs/kpis.md says which variant each figure uses.

Percentages are 0-100 floats; a KPI with nothing to divide by is None (shown as "no data"), never 0."""

from dataclasses import dataclass, fields

from calls.models import ServiceLevelVariant


@dataclass
class Measures:
    """Sums over contacts (models.rollups.MEASURE_FIELDS, in the same order)."""

    contacts: int = 0
    offered: int = 0
    answered: int = 0
    answered_in_threshold: int = 0
    abandoned: int = 0
    abandoned_in_threshold: int = 0
    short_abandoned: int = 0
    wait_answered_seconds: int = 0
    handled: int = 0
    talk_seconds: int = 0
    hold_seconds: int = 0
    wrap_up_seconds: int = 0
    transferred: int = 0
    fcr_eligible: int = 0
    fcr_resolved: int = 0
    agent_fcr_answered: int = 0
    agent_fcr_yes: int = 0

    def __add__(self, other: "Measures") -> "Measures":
        return Measures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __iadd__(self, other: "Measures") -> "Measures":
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def of(cls, row: dict) -> "Measures":
        """From a dict holding (at least) every measure, None read as 0 (an empty aggregate)."""
        return cls(*(int(row.get(name) or 0) for name in cls.names()))


@dataclass
class StateMeasures:
    """Seconds agents spent in each state (models.rollups.AgentStateDaily)."""

    available_seconds: int = 0
    on_call_seconds: int = 0
    wrap_up_seconds: int = 0
    break_seconds: int = 0
    training_seconds: int = 0

    @classmethod
    def of(cls, row: dict) -> "StateMeasures":
        return cls(*(int(row.get(f.name) or 0) for f in fields(cls)))


def share(part: float, whole: float) -> float | None:
    """part / whole as a percentage; None with nothing to divide by."""
    return None if not whole else 100.0 * part / whole


def _mean(total: float, count: float) -> float | None:
    return None if not count else total / count


def service_level(m: Measures, variant: str = ServiceLevelVariant.SL1) -> float | None:
    """domain.md's SL1-SL4, with T each contact's own queue's threshold (a wait of exactly T is within it)."""
    if variant == ServiceLevelVariant.SL1:
        return share(m.answered_in_threshold, m.answered + m.abandoned)
    if variant == ServiceLevelVariant.SL2:
        return share(m.answered_in_threshold, m.answered + m.abandoned - m.abandoned_in_threshold)
    if variant == ServiceLevelVariant.SL3:
        return share(m.answered_in_threshold + m.abandoned_in_threshold, m.offered)
    if variant == ServiceLevelVariant.SL4:
        return share(m.answered_in_threshold, m.answered)
    raise ValueError(f"unknown service level variant {variant!r}")


def abandonment_rate(m: Measures) -> float | None:
    """Abandoned / offered, short abandons left out of both."""
    return share(m.abandoned, m.offered)


def asa_seconds(m: Measures) -> float | None:
    """Total queue wait of answered calls / answered calls."""
    return _mean(m.wait_answered_seconds, m.answered)


def aht_seconds(m: Measures) -> float | None:
    """(Talk + hold + wrap-up) / handled calls, counted where each call ended."""
    return _mean(m.talk_seconds + m.hold_seconds + m.wrap_up_seconds, m.handled)


def fcr(m: Measures) -> float | None:
    """System FCR: handled calls of identified members with no further inbound contact from the
    same member within 7 days / handled calls of identified members."""
    return share(m.fcr_resolved, m.fcr_eligible)


def agent_fcr(m: Measures) -> float | None:
    """Agent-reported FCR: "resolved at first contact" answered yes / answered at all."""
    return share(m.agent_fcr_yes, m.agent_fcr_answered)


def transfer_rate(m: Measures) -> float | None:
    return share(m.transferred, m.handled)


def occupancy(s: StateMeasures) -> float | None:
    """Time on contacts (on a call, wrap-up) / (that time + available idle time)."""
    busy = s.on_call_seconds + s.wrap_up_seconds
    return share(busy, busy + s.available_seconds)


def utilisation(s: StateMeasures) -> float | None:
    """Time on contacts / logged-in time (every state but offline: available, on a call, wrap-up,
    break, training)."""
    busy = s.on_call_seconds + s.wrap_up_seconds
    return share(busy, busy + s.available_seconds + s.break_seconds + s.training_seconds)


def per_thousand(count: int, contacts: int) -> float | None:
    return None if not contacts else 1000.0 * count / contacts
