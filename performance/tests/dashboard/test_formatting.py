"""The figures' formatter gives exactly what Django's `floatformat` gives, in both languages."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from performance.templatetags.performance_tags import fixed, kpi_value

EDGES = [0, -0.04, 0.05, 2.25, 2.35, -12.5, 99.95, 100, 1e-7, 1234567.891, -0.5, 0.5, 1.5, 2.5, Decimal("87.65")]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_fixed_matches_floatformat_for_edges_and_thousands_of_values(language):
    rng = random.Random(11)
    values = (
        EDGES + [rng.uniform(-1000, 1000) for _ in range(3000)] + [round(rng.uniform(0, 100), 2) for _ in range(3000)]
    )
    with translation.override(language):
        for value in values:
            for digits in (0, 1, 2):
                assert fixed(value, digits) == floatformat(value, digits), (value, digits)


def test_a_figure_shows_its_unit_and_no_data_is_spoken():
    assert kpi_value(12.345, 1, "%") == "12.3%"
    assert kpi_value(7.5, 0, "s") == "8 s"
    assert kpi_value(None, 1, "%") == '<span title="no data">—<span class="visually-hidden">no data</span></span>'
    with translation.override("ar"):
        assert kpi_value(12.345, 1, "%") == "12,3%"
