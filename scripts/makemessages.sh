#!/usr/bin/env bash
# Extract every translatable string into locale/ar/LC_MESSAGES/django.po, merging what is already
# translated. The one set of extraction flags: `make messages` and the i18n test both run this.
# Usage: scripts/makemessages.sh [project folder]   (PYTHON: the interpreter, default .venv/bin/python)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
DEBUG=true ENV_FILE=/dev/null "${PYTHON:-.venv/bin/python}" manage.py makemessages -l ar --no-obsolete \
  --no-location --no-wrap --ignore=.venv --ignore=var --ignore=static --ignore=test-artifacts --ignore=conftest.py
