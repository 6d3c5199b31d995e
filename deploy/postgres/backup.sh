#!/bin/sh
# The backup sidecar of docker-compose.prod.yml. Postgres itself archives every WAL segment to /wal-archive
# (archive_command, at least once a minute: archive_timeout); this loop adds a compressed base backup every
# BACKUP_INTERVAL_HOURS and prunes base backups and WAL older than BACKUP_KEEP_DAYS, keeping the WAL the oldest kept
# base backup needs. Together they allow point-in-time recovery to any moment within BACKUP_KEEP_DAYS
# (docs/deployment.md, "Restore to a point in time"). Copy /backups and /wal-archive off the host too.
set -eu
export PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"
interval=$((${BACKUP_INTERVAL_HOURS:-24} * 3600))
keep_days=${BACKUP_KEEP_DAYS:-14}

until pg_isready -h postgres -U "$POSTGRES_USER" -q; do sleep 2; done
while true; do
  target="/backups/base-$(date -u +%Y%m%dT%H%M%SZ)"
  # -X none: the WAL comes from the archive, which Postgres fills continuously.
  if pg_basebackup -h postgres -U "$POSTGRES_USER" -D "$target.partial" -Ft -z -X none --checkpoint=fast; then
    mv "$target.partial" "$target"
    echo "base backup $target written"
  else
    rm -rf "$target.partial"
    echo "base backup failed; retrying in 10 minutes" >&2
    sleep 600
    continue
  fi
  # Prune: base backups older than keep_days (never the newest), then WAL older than the oldest kept base backup.
  find /backups -maxdepth 1 -name 'base-*' -type d -mtime +"$keep_days" ! -path "$target" -exec rm -rf {} +
  oldest=$(find /backups -maxdepth 1 -name 'base-*' -type d | sort | head -n 1)
  if [ -n "$oldest" ]; then
    find /wal-archive -type f ! -newer "$oldest" -mtime +"$keep_days" -delete
  fi
  sleep "$interval"
done
