#!/bin/sh
# Runs once, when the Postgres data volume is initialised (docker-entrypoint-initdb.d): lets the backup sidecar take
# base backups over the compose network (pg_basebackup needs a `replication` entry; the image only allows it locally).
set -eu
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
