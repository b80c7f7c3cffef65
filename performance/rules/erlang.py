"""Erlang C staffing (domain.md "Erlang C"): by the stable Erlang B recursion, never A^N/N!, so it
holds for any traffic (thousands of erlangs) without overflow."""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

MAX_AGENTS = 100_000  # beyond any contact centre; bounds the work one request can ask for


class ErlangInputError(ValueError):
    """Inputs no staffing can answer; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Staffing:
    traffic_erlangs: float
    agents: int  # required on the phones
    rostered: int  # after shrinkage
    p_wait: float
    service_level: float  # 0-1
    asa_seconds: float
    occupancy: float  # 0-1


def traffic(contacts: float, interval_seconds: float, aht_seconds: float) -> float:
    """A = contacts x AHT / interval length, in erlangs."""
    return contacts * aht_seconds / interval_seconds


def erlang_b(agents: int, a: float) -> float:
    b = 1.0
    for k in range(1, agents + 1):
        b = a * b / (k + a * b)
    return b


def _c_from_b(agents: int, a: float, b: float) -> float:
    return agents * b / (agents - a * (1 - b))


def erlang_c(agents: int, a: float) -> float:
    """P(wait) with `agents` > A; 1 when the agents cannot keep up."""
    if agents <= a:
        return 1.0
    return _c_from_b(agents, a, erlang_b(agents, a))


def _service_level(p_wait: float, agents: int, a: float, aht: float, threshold: float) -> float:
    return 1 - p_wait * math.exp(-(agents - a) * threshold / aht)


def at_staffing(agents: int, a: float, aht: float, threshold: float) -> tuple[float, float, float, float]:
    """(P(wait), service level, ASA, occupancy) with `agents` on the phones."""
    if a == 0:
        return 0.0, 1.0, 0.0, 0.0
    if agents <= a:
        return 1.0, 0.0, math.inf, 1.0
    p_wait = erlang_c(agents, a)
    return p_wait, _service_level(p_wait, agents, a, aht, threshold), p_wait * aht / (agents - a), a / agents


def rostered(agents: int, shrinkage: Decimal | float) -> int:
    """Agents on the phones / (1 - shrinkage), rounded up, in exact decimals (14 / 0.7 is 20, not 21)."""
    if agents == 0:
        return 0
    return int((Decimal(agents) / (1 - Decimal(str(shrinkage)))).to_integral_value(rounding=ROUND_CEILING))


def staffing(
    *,
    contacts: float,
    interval_seconds: float,
    aht_seconds: float,
    threshold_seconds: float,
    target: float,
    shrinkage: Decimal | float = 0,
) -> Staffing:
    """The least N > A meeting `target` (0-1) within `threshold_seconds`, and what it gives."""
    _check(contacts, interval_seconds, aht_seconds, threshold_seconds, target, shrinkage)
    a = traffic(contacts, interval_seconds, aht_seconds)
    if a == 0:
        return Staffing(0.0, 0, 0, 0.0, 1.0, 0.0, 0.0)
    if a >= MAX_AGENTS:
        raise ErlangInputError(
            "contacts", f"{a:.0f} erlangs is beyond what this calculator staffs ({MAX_AGENTS} agents)."
        )
    agents = math.floor(a) + 1
    b = erlang_b(agents, a)  # B(N) carried forward as N grows: O(N) in all
    while True:
        p_wait = _c_from_b(agents, a, b)
        level = _service_level(p_wait, agents, a, aht_seconds, threshold_seconds)
        if level >= target or agents >= MAX_AGENTS:
            return Staffing(
                traffic_erlangs=a,
                agents=agents,
                rostered=rostered(agents, shrinkage),
                p_wait=p_wait,
                service_level=level,
                asa_seconds=p_wait * aht_seconds / (agents - a),
                occupancy=a / agents,
            )
        agents += 1
        b = a * b / (agents + a * b)


def _check(contacts, interval_seconds, aht_seconds, threshold_seconds, target, shrinkage) -> None:
    if contacts < 0:
        raise ErlangInputError("contacts", "Contacts cannot be negative.")
    if interval_seconds <= 0:
        raise ErlangInputError("interval_seconds", "The interval must be longer than zero seconds.")
    if aht_seconds <= 0:
        raise ErlangInputError("aht_seconds", "The average handle time must be more than zero seconds.")
    if threshold_seconds < 0:
        raise ErlangInputError("threshold_seconds", "The answer threshold cannot be negative.")
    if not 0 < target < 1:
        raise ErlangInputError("target", "The service level target is a share between 0 and 1, both excluded.")
    if not 0 <= float(shrinkage) < 1:
        raise ErlangInputError("shrinkage", "Shrinkage is a share from 0 up to, but not including, 1.")
