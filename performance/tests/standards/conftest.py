"""The standards tests start from the defaults migration 0002 seeds. A browser test elsewhere in the
suite (a transactional test) flushes the database, seeded rows included, and may run before these:
put the defaults back (the migration's own function; it adds only what is missing)."""

import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _seeded_standards(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return  # the pure rules' tests
    if "transactional_db" in request.fixturenames or (marker is not None and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("db")
    importlib.import_module("performance.migrations.0002_default_standards").seed(apps, None)
