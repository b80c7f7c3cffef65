"""English and Arabic: every UI string is marked and translated, the committed catalogue is
compiled, and Arabic pages are laid out right to left."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SKIP_DIRS = {".venv", "var", "static", "test-artifacts", ".git", "node_modules", ".pytest_cache", ".ruff_cache"}


def _run(args, cwd, extra_env=None, **kw):
    env = {
        **os.environ,
        "DEBUG": "true",
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "contactcentre.settings",
        **(extra_env or {}),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kw)


def test_makemessages_finds_no_untranslated_arabic_string(tmp_path):
    """Runs the project's own `make messages` extraction on a copy of the tree: every string it
    finds must already have an Arabic translation, and none may be fuzzy."""
    copy = tmp_path / "tree"
    shutil.copytree(BASE, copy, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS or n == "__pycache__"])
    (copy / "var").mkdir()
    result = _run(
        ["bash", str(copy / "scripts" / "makemessages.sh"), str(copy)], cwd=copy, extra_env={"PYTHON": sys.executable}
    )
    assert result.returncode == 0, result.stderr
    po = copy / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    missing = re.findall(r'^msgid "(.+)"$', untranslated, re.M)
    assert missing == [], f"untranslated Arabic strings (run `make messages` and translate them): {missing}"
    assert re.findall(r'^msgid "(.+)"$', fuzzy, re.M) == [], "fuzzy Arabic entries: review and clear them"


def test_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(out), str(PO)], check=True, capture_output=True)
    assert out.read_bytes() == MO.read_bytes(), "locale/ar/LC_MESSAGES/django.mo is stale: run `make messages`"


LETTERS = re.compile(r"[A-Za-z]{2,}")
TRANSLATABLE_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"{]*)"')


def _template_files():
    for directory in [BASE / "templates", *BASE.glob("*/templates")]:
        yield from sorted(directory.rglob("*.html"))


def untranslated_text(source: str) -> list[str]:
    """Words a reader would see that are not inside a translate tag."""
    text = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", " ", text, flags=re.S | re.I)
    words = [m for m in TRANSLATABLE_ATTRIBUTES.findall(text) if LETTERS.search(m)]
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&[a-z]+;", " ", text)
    return words + LETTERS.findall(text)


def test_untranslated_text_detector_finds_literal_words():
    assert untranslated_text('<p class="x">Hello {% translate "World" %}</p>') == ["Hello"]
    assert untranslated_text('<input placeholder="Search">') == ["Search"]
    assert untranslated_text("<b title=\"{% translate 'Hi' %}\">{{ name }}</b>") == []
    assert untranslated_text("{% blocktranslate %}Team {{ t }}{% endblocktranslate %}") == []


def test_templates_have_no_text_outside_translate_tags():
    """Literal text in a template (outside {% translate %}/{% blocktranslate %}) would stay English
    in the Arabic interface. Attributes people read (title, placeholder, aria-label, alt) count too."""
    offenders = {
        str(path.relative_to(BASE)): words
        for path in _template_files()
        if (words := untranslated_text(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_every_template_compiles():
    engine = engines["django"]
    for path in _template_files():
        engine.from_string(path.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_arabic_page_renders_right_to_left_with_arabic_text():
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    html = client.get("/login/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "bootstrap.min.css" not in html
    assert "تسجيل الدخول إلى تواصل" in html


@pytest.mark.django_db
def test_english_page_renders_left_to_right():
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "bootstrap.min.css" in html and "rtl" not in html.split("<body")[0].replace('dir="ltr"', "")
