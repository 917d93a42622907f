#!/bin/sh
# One-shot schema setup for the Temporal server's PostgreSQL databases (run by the `temporal-schema` service in
# temporalio/admin-tools). Safe to run again: `create` ignores an existing database, `setup-schema -v 0.0` keeps a
# newer version, and `update-schema` only applies the versions not yet applied (also after a server upgrade).
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (database host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}..."
nc -z -w 10 "${POSTGRES_SEEDS}" "${DB_PORT}"

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  echo "Setting up database ${db} (${schema} schema)..."
  sql_tool --db "${db}" create
  sql_tool --db "${db}" setup-schema -v 0.0
  sql_tool --db "${db}" update-schema -d "${SCHEMA_ROOT}/${schema}/versioned"
done

echo "PostgreSQL schema setup complete"
