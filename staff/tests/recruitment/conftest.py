"""Fixtures for the recruitment tests."""

import pytest
from django.utils.translation import trans_real


@pytest.fixture
def fake_arabic(monkeypatch):
    """`fake_arabic(msgid, ...)` gives each msgid a made-up Arabic translation (returned, in order) for
    the test: the real catalogue is translated at the end, but a test must fail when a string is not
    marked for translation at all."""

    def translate(*msgids: str) -> list[str]:
        catalog = trans_real.translation("ar")._catalog._catalogs[0]
        made_up = [f"ترجمة {n}" for n in range(1, len(msgids) + 1)]
        for msgid, text in zip(msgids, made_up, strict=True):
            monkeypatch.setitem(catalog, msgid, text)
        return made_up

    return translate
