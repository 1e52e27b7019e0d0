#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server on loopback, in a data folder of its own.
#   scripts/pg_test_server.sh start DIR   -> prints postgresql://rapport@127.0.0.1:PORT/shop
#   scripts/pg_test_server.sh stop DIR
# initdb/postgres refuse to run as root, so as root the server runs as the `postgres`
# user (Debian's package creates it). Uses Debian's PostgreSQL (apt-get install postgresql).
set -euo pipefail
action=${1:?start|stop}
dir=${2:?data folder}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]] && command -v pg_config >/dev/null; then bindir=$(pg_config --bindir); fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "no PostgreSQL server binaries found: apt-get install postgresql" >&2
  exit 2
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres "$dir" && chmod 700 "$dir"
      if ! runuser -u postgres -- test -x "$dir"; then
        echo "user postgres cannot reach $dir: make its parent folders traversable (chmod o+x)" >&2
        exit 2
      fi
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -U rapport --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U rapport shop
    echo "$port" >"$dir/port"
    echo "postgresql://rapport@127.0.0.1:$port/shop"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
