#!/usr/bin/env bash
# Runs the PostgreSQL suites (npm run test:postgres) against the local server, starting it if it is down.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=127.0.0.1
PORT=5432
if ! pg_isready -q -h "$HOST" -p "$PORT"; then
  echo "PostgreSQL is down: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h "$HOST" -p "$PORT" && break
  sleep 1
done
pg_isready -h "$HOST" -p "$PORT" || { echo "PostgreSQL did not accept connections within 30 s" >&2; exit 1; }

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@$HOST:$PORT/test}"
npm run test:postgres
