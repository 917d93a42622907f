#!/bin/sh
# One-shot namespace setup (run by the `temporal-namespace` service in temporalio/admin-tools): creates the namespace
# the worker and receiver use and registers the custom search attributes the workflows upsert. Safe to run again:
# existing namespaces and attributes are left alone.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
: "${NAMESPACE:?NAMESPACE is required}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES (space-separated Name=Type pairs) is required}"
RETENTION="${NAMESPACE_RETENTION:-72h}"

host="${TEMPORAL_ADDRESS%:*}"
port="${TEMPORAL_ADDRESS##*:}"
# Temporal's own compose scripts resolve the frontend to IPv4 first: the CLI can otherwise try an address the
# container network does not route.
ip="$(getent ahostsv4 "${host}" | awk 'NR == 1 { print $1 }')"
address="${ip:-${host}}:${port}"

attempt=0
until temporal operator cluster health --address "${address}" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "${attempt}" -ge 60 ]; then
    echo "Temporal at ${address} is not healthy after ${attempt} checks" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "${NAMESPACE}" --address "${address}" >/dev/null 2>&1; then
  echo "Namespace ${NAMESPACE} exists"
else
  temporal operator namespace create --namespace "${NAMESPACE}" --retention "${RETENTION}" --address "${address}"
  echo "Namespace ${NAMESPACE} created (retention ${RETENTION})"
fi

existing="$(temporal operator search-attribute list --namespace "${NAMESPACE}" --address "${address}")"
for pair in ${SEARCH_ATTRIBUTES}; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if printf '%s\n' "${existing}" | grep -qw "${name}"; then
    echo "Search attribute ${name} exists"
  else
    temporal operator search-attribute create --namespace "${NAMESPACE}" --name "${name}" --type "${type}" \
      --address "${address}"
    echo "Search attribute ${name} (${type}) registered"
  fi
done
