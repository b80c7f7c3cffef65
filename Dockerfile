# Tawasul: one image for the web server (gunicorn), the Celery worker, Celery beat and the one-shot
# migrate job. No entrypoint script: docker-compose.yml gives each service its command; the default
# CMD runs gunicorn. All settings come from the environment (see .env.example).

# --- Stage 1: the source tree, pruned ----------------------------------------------------------
# .dockerignore keeps the virtualenv, .git, var/ and a demo .env (DEBUG=true) out of the build
# context; this throwaway stage also drops what only tests and development need, so the final
# image takes the pruned tree in one layer.
FROM python:3.11-slim-bookworm AS source
WORKDIR /src
COPY . .
RUN rm -rf .venv .git .env .env.* var staticfiles test-artifacts .pytest_cache .ruff_cache .ci tests \
        conftest.py requirements-dev.txt Dockerfile docker-compose.yml \
    && find . -name __pycache__ -type d -prune -exec rm -rf {} + \
    && find . -name "*.pyc" -delete

# --- Stage 2: the runtime image ----------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# An unprivileged user runs every process. The code stays owned by root (read-only for the app);
# only var/ (SQLite fallback, filesystem broker fallback, collected static files) belongs to the user.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Dependencies first, so that a code change does not reinstall them. Every requirement ships a
# manylinux wheel (psycopg2-binary included), so no compiler or -dev packages are needed.
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

WORKDIR /app
COPY --from=source /src/ /app/

# Translations: compiled .mo files are meant to be committed and are used as they are, so gettext
# and compilemessages are left out of the image (a .mo file missing from the tree is missing here).
# collectstatic at build time with throwaway settings: they are set on this RUN line only (never
# baked into the image as ENV). Without DATABASE_URL the settings fall back to SQLite under var/,
# which they create on import, so run it as the app user in a var/ that the app user owns.
RUN mkdir -p /app/var && chown app:app /app/var
USER app
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput -v 1 \
    && rm -f /app/var/*.sqlite3*

EXPOSE 8000

# The shell form is needed to expand WEB_CONCURRENCY at run time; `exec` makes gunicorn PID 1 so
# that `docker stop` (SIGTERM) reaches it and it shuts its workers down gracefully.
CMD ["sh", "-c", "exec gunicorn contactcentre.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
