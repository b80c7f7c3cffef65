"""Settings from the environment: SQLite by default, PostgreSQL through DATABASE_URL (both migrate
from zero), production settings pass `check --deploy`, the compose file validates."""

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

BASE = Path(settings.BASE_DIR)


def manage(*args, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly the environment given (plus PATH)."""
    full_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "ENV_FILE": os.devnull, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=full_env, capture_output=True, text=True, timeout=timeout
    )


def test_without_database_url_the_app_migrates_an_embedded_sqlite_file_from_zero(tmp_path):
    db = tmp_path / "demo.sqlite3"
    result = manage("migrate", "--noinput", env={"DEBUG": "true", "SQLITE_PATH": str(db)})
    assert result.returncode == 0, result.stderr
    tables = {row[0] for row in sqlite3.connect(db).execute("select name from sqlite_master where type='table'")}
    assert {
        "staff_user",
        "staff_site",
        "staff_team",
        "contactcentre_heartbeat",
        "contactcentre_auditevent",
        "django_celery_beat_periodictask",
        "knox_authtoken",
    } <= tables
    groups = {row[0] for row in sqlite3.connect(db).execute("select name from auth_group")}
    assert groups == {
        "agent",
        "team_leader",
        "nurse",
        "manager",
        "hr",
        "administrator",
        "claims_assessor",
        "api_client",
    }


@pytest.mark.django_db
def test_with_database_url_the_app_migrates_a_new_postgresql_database_from_zero():
    params = connection.settings_dict
    name = f"tawasul_migrate_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], password=params["PASSWORD"], host=params["HOST"], port=params["PORT"]
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{params['USER']}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{params['USER']}@"
        url = f"postgres://{auth}{params['HOST']}:{params['PORT']}/{name}"
        result = manage("migrate", "--noinput", env={"DEBUG": "true", "DATABASE_URL": url})
        assert result.returncode == 0, result.stderr
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute("select count(*) from auth_group")
            assert cursor.fetchone() == (8,)
            cursor.execute(
                "select count(*) from django_celery_beat_periodictask where task = %s",
                ["contactcentre.tasks.heartbeat"],
            )
            assert cursor.fetchone() == (1,)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_no_model_change_lacks_a_migration():
    result = manage("makemigrations", "--check", "--dry-run", env={"DEBUG": "true", "SQLITE_PATH": os.devnull})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_migration_check_runs_in_a_bare_environment():
    """CI asks "is a migration missing?" with nothing configured: no secret is needed to read the code."""
    result = manage("makemigrations", "--check", "--dry-run", env={"SQLITE_PATH": os.devnull})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_any_other_command_without_a_secret_says_what_is_missing():
    result = manage("migrate", "--noinput", env={"SQLITE_PATH": os.devnull})
    assert result.returncode == 1
    assert "Tawasul is not configured: SECRET_KEY must be set" in result.stderr
    assert "AppRegistryNotReady" not in result.stderr


def production_env() -> dict:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tawasul.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "BEHIND_TLS_PROXY": "true",
    }


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_docker_compose_file_validates(tmp_path):
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose client missing: `apt-get install -y --no-install-recommends docker-compose`"
    shutil.copy(BASE / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(BASE / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [compose, "-f", str(tmp_path / "docker-compose.yml"), "--project-directory", str(tmp_path), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_env_example_documents_every_setting_read_from_the_environment():
    import re

    source = (BASE / "contactcentre" / "settings.py").read_text()
    read = set(re.findall(r'env\.(?:str|bool|int|list|db|email_url)\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (BASE / ".env.example").read_text(), re.M))
    assert read - documented == set()
