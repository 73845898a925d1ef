#!/usr/bin/env bash
# make test-scale: the API tests against a `chroma run` server and a Debian PostgreSQL, both in
# temporary folders on 127.0.0.1, with `mes-ai serve --workers 2` (not part of CI).
set -euo pipefail
BIN=${BIN:-.venv/bin}
TMP=$(mktemp -d)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ]; then
  apt-get install -y -q postgresql >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
$BIN/python -c "import psycopg" 2>/dev/null || $BIN/python -m pip install -q 'psycopg[binary]>=3.1'
free_port() { $BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port); CHPORT=$(free_port)
RUN_AS=""; if [ "$(id -u)" = 0 ]; then chown -R postgres "$TMP" 2>/dev/null || true; RUN_AS="runuser -u postgres --"; fi
mkdir -p "$TMP/pg" "$TMP/chroma"; [ -n "$RUN_AS" ] && chown postgres "$TMP/pg"
$RUN_AS "$PGBIN/initdb" -D "$TMP/pg" -U mes -A trust >/dev/null
$RUN_AS "$PGBIN/pg_ctl" -D "$TMP/pg" -o "-h 127.0.0.1 -p $PGPORT -k $TMP/pg" -l "$TMP/pg/log" -w start >/dev/null
$BIN/chroma run --path "$TMP/chroma" --host 127.0.0.1 --port "$CHPORT" >"$TMP/chroma.log" 2>&1 &
CHPID=$!
cleanup() {
  kill "$CHPID" 2>/dev/null || true
  $RUN_AS "$PGBIN/pg_ctl" -D "$TMP/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$CHPORT/api/v2/heartbeat" >/dev/null && break; sleep 1; done
export MESAI_SCALE_CHROMA_URL="http://127.0.0.1:$CHPORT"
export MESAI_SCALE_PG_URL="postgresql://mes@127.0.0.1:$PGPORT/postgres"
export MESAI_SCALE_WORKERS=2
$BIN/python -m pytest tests/api -q -p no:cacheprovider "$@"
