#!/usr/bin/env bash
# Point-in-time recovery of a Yachaq database, as Deploy/README.md describes it for a VM:
# a PostgreSQL with WAL archiving, a base backup, a write before and a write after a moment T,
# then a new cluster recovered from the base backup and the archive to T. Exits 1 unless the
# write before T is there and the one after is not.
#
#   Faults/pitr.sh [BINARY]      (default .build/debug/yachaq; root or the postgres user)
set -euo pipefail
binary=$(realpath "${1:-.build/debug/yachaq}")
bin=$(dirname "$(realpath "$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")")
work=$(mktemp -d /tmp/yachaq-pitr-XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
port=$(( 30000 + RANDOM % 20000 ))
cleanup() {
  as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  as_pg "$bin/pg_ctl" -D "$work/restored" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

as_pg mkdir "$work/wal"
as_pg "$bin/initdb" -D "$work/data" -U postgres --auth=trust >/dev/null
cat >> "$work/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work'
archive_mode = on
archive_command = 'test ! -f $work/wal/%f && cp %p $work/wal/%f'
CONF
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w start >/dev/null
q() { psql -h "$work" -p "$1" -U postgres -d yachaq -Atqc "$2"; }
psql -h "$work" -p "$port" -U postgres -Atq -c "CREATE USER yachaq SUPERUSER" -c "CREATE DATABASE yachaq OWNER yachaq"
"$binary" seed --demo --database-url "postgres://yachaq@127.0.0.1:$port/yachaq?sslmode=disable" >/dev/null 2>&1

# The nightly base backup, then a day's work, then a mistake at T.
as_pg "$bin/pg_basebackup" -h "$work" -p "$port" -U postgres -D "$work/base" -X stream -c fast
q "$port" "INSERT INTO organizations (name, kind, ubigeo) VALUES ('Before the mistake', 'community', '080101')"
sleep 1
target=$(q "$port" "SELECT now()")
sleep 1
q "$port" "INSERT INTO organizations (name, kind, ubigeo) VALUES ('After the mistake', 'community', '080101')"
q "$port" "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 50); do [ "$(q "$port" "SELECT last_archived_wal IS NOT NULL AND failed_count = 0 FROM pg_stat_archiver")" = t ] && break; sleep 0.1; done
payments=$(q "$port" "SELECT count(*) FROM payments")
as_pg "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null

# Recovery into a new folder: the base backup, the archive, the target.
as_pg cp -a "$work/base" "$work/restored"
restored=$(( port + 1 ))
as_pg tee -a "$work/restored/postgresql.auto.conf" >/dev/null <<CONF
restore_command = 'cp $work/wal/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
archive_mode = off
port = $restored
CONF
as_pg touch "$work/restored/recovery.signal"
started=$(date +%s%N)
as_pg "$bin/pg_ctl" -D "$work/restored" -l "$work/restored.log" -w start >/dev/null
for _ in $(seq 1 100); do [ "$(q "$restored" "SELECT pg_is_in_recovery()")" = f ] && break; sleep 0.1; done
took=$(( ($(date +%s%N) - started) / 1000000 ))
found=$(q "$restored" "SELECT string_agg(name, ', ' ORDER BY name) FROM organizations WHERE name LIKE '% the mistake'")
again=$(q "$restored" "SELECT count(*) FROM payments")
if [ "$found" != "Before the mistake" ] || [ "$again" != "$payments" ]; then
  echo "pitr: recovered to $target and found [$found], $again payments of $payments"; exit 1
fi
echo "pitr: recovered to $target in $took ms: the write before it is there, the one after is not; $again of $payments payments"
