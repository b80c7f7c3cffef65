#!/usr/bin/env bash
# What `make test` needs from the machine, per ../shared/services.md: a PostgreSQL and a Redis on
# 127.0.0.1, Debian's Chromium, GNU gettext (makemessages/compilemessages) and the docker-compose
# client (to validate docker-compose.yml). Use what answers; else start what is installed; else
# install with apt-get and start. Fail loudly, never skip.
set -uo pipefail

fail() { echo "ensure-services: $*" >&2; exit 1; }
apt_updated=
apt_install() {
  [ "$(id -u)" = 0 ] || fail "need to install $* but not running as root: sudo apt-get install -y $*"
  command -v apt-get >/dev/null || fail "need $* and there is no apt-get on this machine"
  if [ -z "$apt_updated" ]; then apt-get update -qq || fail "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || fail "apt-get install $* failed"
}

# PostgreSQL (a local one, unless DATABASE_URL names another server)
local_pg=1
case "${DATABASE_URL:-}" in ""|*@127.0.0.1*|*@localhost*) ;; *) local_pg=0 ;; esac
command -v pg_isready >/dev/null || apt_install postgresql-client
if [ "$local_pg" = 1 ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure-services: installing PostgreSQL"; apt_install postgresql
  fi
  echo "ensure-services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer on 127.0.0.1:5432"
fi
# The tests connect as postgres over TCP without a password where the server trusts local TCP (as on
# the project's machines). A stock Debian server asks for a password instead: then make a role for
# the tests over the socket, once, and leave its URL in var/test.env, which `make test` reads.
mkdir -p var
if [ -z "${DATABASE_URL:-}" ] && ! psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc "select 1" >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || fail "PostgreSQL asks for a password over TCP: set DATABASE_URL to a role with CREATEDB"
  runuser -u postgres -- psql -qc "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='tawasul_test') THEN CREATE ROLE tawasul_test LOGIN PASSWORD 'tawasul_test' CREATEDB; END IF; END\$\$;" >/dev/null \
    || fail "cannot connect to PostgreSQL as postgres over TCP, nor make a role over the socket"
  echo "DATABASE_URL=postgres://tawasul_test:tawasul_test@127.0.0.1:5432/postgres" > var/test.env
  psql "postgres://tawasul_test:tawasul_test@127.0.0.1:5432/postgres" -Atqc "select 1" >/dev/null \
    || fail "made the role tawasul_test but cannot connect with it over TCP"
  echo "ensure-services: PostgreSQL asks for a password over TCP; the tests use the role tawasul_test (var/test.env)"
fi

# Redis (a local one, unless REDIS_URL names another server)
local_redis=1
case "${REDIS_URL:-}" in ""|*//127.0.0.1*|*//localhost*) ;; *) local_redis=0 ;; esac
command -v redis-cli >/dev/null || apt_install redis-tools
if [ "$local_redis" = 1 ] && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || { echo "ensure-services: installing Redis"; apt_install redis-server; }
  echo "ensure-services: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || fail "Redis does not answer on 127.0.0.1:6379"
fi

# Tools the suite drives.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then echo "ensure-services: installing ${missing[*]}"; apt_install "${missing[@]}"; fi
if ! command -v docker-compose >/dev/null; then
  # --no-install-recommends: the client only, never a Docker engine.
  echo "ensure-services: installing the docker-compose client"
  apt_install --no-install-recommends docker-compose
fi
echo "ensure-services: PostgreSQL, Redis, Chromium, gettext and docker-compose are ready."
