#!/usr/bin/env bash
# A local PostgreSQL for the tests and for trying `lpp serve --store postgres`: installs Debian's postgresql package
# when it is missing, starts the cluster, creates the role and database lpp_test (the role may create the per-test
# databases), and prints the connection string for LPP_POSTGRES on standard output. Needs root (apt-get, runuser).
#   export LPP_POSTGRES="$(scripts/postgres-test-db.sh)"
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{ print $1 " " $2 }' | grep -qx "$version main"; then
    pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -qx online; then
    pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
psql() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 50); do psql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
if [ "$(psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'lpp_test'")" != 1 ]; then
    psql -c "CREATE ROLE lpp_test LOGIN CREATEDB PASSWORD 'lpp_test'" >&2
fi
if [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'lpp_test'")" != 1 ]; then
    psql -c "CREATE DATABASE lpp_test OWNER lpp_test" >&2
fi
echo "Host=127.0.0.1;Port=$port;Username=lpp_test;Password=lpp_test;Database=lpp_test"
