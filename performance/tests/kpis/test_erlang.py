"""Erlang C against domain.md's reference: 100 contacts in 30 minutes, AHT 180 s, 80 % in 20 s, so
A = 100 x 180 / 1800 = 10 erlangs:

| N  | P(wait) | SL(20 s) | ASA (s) | occupancy |
|----|---------|----------|---------|-----------|
| 13 | 0.2853  | 0.7956   | 17.12   | 0.7692    |
| 14 | 0.1741  | 0.8884   | 7.84    | 0.7143    |
N = 14 is the least meeting 80 %; with 30 % shrinkage 14 / 0.7 = 20 rostered."""

import time

import pytest

from performance.rules.erlang import ErlangInputError, at_staffing, erlang_c, rostered, staffing, traffic

REFERENCE = {"contacts": 100, "interval_seconds": 1800, "aht_seconds": 180, "threshold_seconds": 20, "target": 0.8}


@pytest.mark.parametrize(
    "agents, p_wait, level, asa, occupancy",
    [(13, 0.2853, 0.7956, 17.12, 0.7692), (14, 0.1741, 0.8884, 7.84, 0.7143)],
)
def test_the_reference_figures_at_13_and_14_agents(agents, p_wait, level, asa, occupancy):
    a = traffic(100, 1800, 180)
    assert a == 10.0
    got_p, got_level, got_asa, got_occupancy = at_staffing(agents, a, 180, 20)
    # domain.md rounds to 4 places (2 for ASA): equal to the last digit given.
    assert (round(got_p, 4), round(got_level, 4), round(got_asa, 2), round(got_occupancy, 4)) == (
        p_wait,
        level,
        asa,
        occupancy,
    )


def test_fourteen_agents_meet_80_20_and_30_percent_shrinkage_rosters_20():
    result = staffing(**REFERENCE, shrinkage=0.3)
    assert (result.traffic_erlangs, result.agents, result.rostered) == (10.0, 14, 20)
    assert (round(result.p_wait, 4), round(result.service_level, 4), round(result.asa_seconds, 2)) == (
        0.1741,
        0.8884,
        7.84,
    )
    assert rostered(14, 0.3) == 20  # exact decimals: 14 / 0.7 is 20, not 20.000000000000004 -> 21


def test_large_traffic_neither_overflows_nor_takes_long():
    started = time.perf_counter()
    result = staffing(contacts=50_000, interval_seconds=1800, aht_seconds=180, threshold_seconds=20, target=0.8)
    assert time.perf_counter() - started < 0.5
    assert result.traffic_erlangs == 5000.0
    assert 5000 < result.agents < 5100 and 0.8 <= result.service_level < 1
    assert 0 < erlang_c(5050, 5000.0) < 1


def test_no_contacts_need_no_agents():
    result = staffing(**{**REFERENCE, "contacts": 0})
    assert (result.agents, result.rostered, result.service_level) == (0, 0, 1.0)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"interval_seconds": 0}, "interval_seconds"),
        ({"aht_seconds": -1}, "aht_seconds"),
        ({"aht_seconds": 0}, "aht_seconds"),
        ({"target": 1.2}, "target"),
        ({"target": 0}, "target"),
        ({"contacts": -5}, "contacts"),
        ({"threshold_seconds": -1}, "threshold_seconds"),
        ({"shrinkage": 1}, "shrinkage"),
        ({"contacts": 10**9}, "contacts"),  # beyond any contact centre
    ],
)
def test_impossible_inputs_name_their_field(change, field):
    with pytest.raises(ErlangInputError) as error:
        staffing(**{**REFERENCE, **change})
    assert error.value.field == field and str(error.value)
