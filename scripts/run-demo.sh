#!/usr/bin/env bash
# The demo: migrate, compile messages, collect static, seed if empty, then a Celery worker (with
# beat) and the web server, stopped together by Ctrl-C. Embedded SQLite and broker unless the
# environment (or .env) names DATABASE_URL / REDIS_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
env_file=${ENV_FILE:-.env}
export ENV_FILE=$env_file
if [ ! -f "$env_file" ]; then
  # A local, never-committed settings file for the demo: debug on and a random secret key.
  key=$($py -c 'import secrets; print(secrets.token_urlsafe(50))')
  printf 'DEBUG=true\nSECRET_KEY=%s\n' "$key" > "$env_file"
  echo "Wrote $env_file (DEBUG=true and a fresh SECRET_KEY) for the demo."
fi
host=${DEMO_HOST:-127.0.0.1}
port=${PORT:-8000}

$py manage.py migrate --noinput -v 0
if command -v msgfmt >/dev/null; then
  $py manage.py compilemessages -v 0 --ignore=.venv
else
  echo "GNU gettext is not installed: using the committed .mo files (the tests keep them in step with the .po files)."
fi
$py manage.py collectstatic --noinput -v 0
$py manage.py seed_demo --if-empty

pids=()
status=0
stop() {
  trap - INT TERM EXIT
  echo "Stopping Tawasul..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit "$status"
}
trap stop INT TERM EXIT

.venv/bin/celery -A contactcentre worker --beat --loglevel "${CELERY_LOG_LEVEL:-WARNING}" --concurrency 2 \
  --hostname "demo@%h" &
pids+=($!)
$py manage.py runserver "$host:$port" --noreload &
pids+=($!)

cat <<MSG

  Tawasul is running at http://$host:$port/
  Log in with any demo account listed above (make run prints it on first seed; the README lists them).
  Press Ctrl-C to stop the web server and the Celery worker.

MSG
$py manage.py demo_logins
# Either process ending on its own (a port already in use, say) stops the other and fails the run.
wait -n "${pids[@]}" || status=$?
[ "$status" != 0 ] || status=1
echo "A Tawasul process stopped unexpectedly (exit $status)." >&2
