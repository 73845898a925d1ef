#!/usr/bin/env bash
# make test-scale: the API tests against a `chroma run` server and a Debian PostgreSQL, both in
# temporary folders on 127.0.0.1, with `mes-ai serve --workers 2` (not part of CI).
# Extra arguments go to pytest, e.g. `tests/api/run_scale.sh -k chat`.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
WORKERS=${WORKERS:-2}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

PGBIN=$(pg_bin || true)
if [ -z "$PGBIN" ]; then
  echo "test-scale: installing the Debian postgresql package" >&2
  as_root apt-get install -y -q postgresql >/dev/null
  PGBIN=$(pg_bin)
fi
"$BIN/python" -c "import psycopg" 2>/dev/null || "$BIN/python" -m pip install -q -e '.[postgres]'

# initdb refuses to run as root: the cluster then belongs to the postgres account (or nobody).
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  OWNER=postgres; id -u "$OWNER" >/dev/null 2>&1 || OWNER=nobody
  RUN_AS=(runuser -u "$OWNER" --)
fi

TMP=$(mktemp -d -t mes-scale.XXXXXX)
CHPID=""
cleanup() {
  status=$?
  set +e
  [ -n "$CHPID" ] && kill "$CHPID" 2>/dev/null && wait "$CHPID" 2>/dev/null
  [ -f "$TMP/pg/postmaster.pid" ] && "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -m fast -w stop >/dev/null 2>&1
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
CHPORT=$(free_port)

mkdir -p "$TMP/pg" "$TMP/chroma"
chmod 755 "$TMP"
[ ${#RUN_AS[@]} -gt 0 ] && chown "$OWNER" "$TMP/pg"
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$TMP/pg" -U mes -A trust -E UTF8 --no-sync >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log" >&2; exit 1; }
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pg/server.log" -w -t 60 start \
  -o "-h 127.0.0.1 -p $PGPORT -k $TMP/pg -c fsync=off -c max_connections=200" >/dev/null \
  || { cat "$TMP/pg/server.log" >&2; exit 1; }

"$BIN/chroma" run --path "$TMP/chroma" --host 127.0.0.1 --port "$CHPORT" >"$TMP/chroma.log" 2>&1 &
CHPID=$!
"$BIN/python" - "$CHPORT" "$CHPID" <<'EOF' || { cat "$TMP/chroma.log" >&2; exit 1; }
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("chroma run exited")
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("chroma run did not answer its heartbeat")
EOF

echo "test-scale: $("$PGBIN/postgres" --version), chromadb $("$BIN/python" -c 'import chromadb; print(chromadb.__version__)'), $WORKERS workers" >&2
export MESAI_SCALE_CHROMA_URL="http://127.0.0.1:$CHPORT"
export MESAI_SCALE_PG_URL="postgresql://mes@127.0.0.1:$PGPORT/postgres"
export MESAI_SCALE_WORKERS=$WORKERS
status=0
"$BIN/python" -m pytest tests/api -p no:cacheprovider "$@" || status=$?
"$BIN/python" - <<'EOF' || true
import os, chromadb, psycopg
from urllib.parse import urlparse
with psycopg.connect(os.environ["MESAI_SCALE_PG_URL"]) as db:
    (dbs,) = db.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'mes_test_%'").fetchone()
url = urlparse(os.environ["MESAI_SCALE_CHROMA_URL"])
collections = len(chromadb.HttpClient(host=url.hostname, port=url.port).list_collections())
print(f"test-scale: the servers used {dbs} PostgreSQL databases and {collections} Chroma collections")
EOF
exit "$status"
