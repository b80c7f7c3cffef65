#!/usr/bin/env bash
# Create the project's virtual environment. On Debian, `python3 -m venv` needs the python3-venv
# package; install it when we can (root), otherwise say exactly what is missing.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "Tawasul needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." >&2; exit 1; }
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt-get update -qq && (apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv)
    "$python" -m venv "$venv"
  else
    echo "Cannot create a virtual environment: install python3-venv (sudo apt-get install python3-venv)." >&2
    exit 1
  fi
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
