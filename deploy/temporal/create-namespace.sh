#!/bin/sh
# One-shot namespace setup (run by the `temporal-namespace` service in temporalio/admin-tools): creates the namespace
# the worker and receiver use and registers the custom search attributes the workflows upsert. Safe to run again:
# existing namespaces and attributes are left alone. Every step that talks to the server is retried (see retry).
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

# retry <what> <command...>: transient failures are retried with a growing pause (1, 2, 4, 8, 10, 10 ... s), up to
# SETUP_ATTEMPTS times (default 10, about a minute). They happen: the frontend answers health checks before every
# service has its membership, and a namespace just created reaches the other services' caches only after a refresh
# (seconds), so registering its search attributes right away can fail with "namespace not found".
retry() {
  what="$1"
  shift
  n=1
  delay=1
  until "$@"; do
    if [ "${n}" -ge "${SETUP_ATTEMPTS:-10}" ]; then
      echo "${what}: failed after ${n} attempts" >&2
      return 1
    fi
    echo "${what}: attempt ${n} failed, retrying in ${delay} s" >&2
    sleep "${delay}"
    n=$((n + 1))
    delay=$((delay * 2))
    if [ "${delay}" -gt 10 ]; then delay=10; fi
  done
}

describe_namespace() {
  temporal operator namespace describe --namespace "${NAMESPACE}" --address "${address}" >/dev/null 2>&1
}

# A create whose answer was lost may have succeeded: an existing namespace counts as created.
create_namespace() {
  temporal operator namespace create --namespace "${NAMESPACE}" --retention "${RETENTION}" --address "${address}" ||
    describe_namespace
}

# True when the namespace lists the attribute (a whole-word match of its name).
has_search_attribute() {
  temporal operator search-attribute list --namespace "${NAMESPACE}" --address "${address}" | grep -qw "$1"
}

register_search_attribute() {
  has_search_attribute "$1" ||
    temporal operator search-attribute create --namespace "${NAMESPACE}" --name "$1" --type "$2" --address "${address}"
}

if describe_namespace; then
  echo "Namespace ${NAMESPACE} exists"
else
  retry "create namespace ${NAMESPACE}" create_namespace
  retry "namespace ${NAMESPACE} visible" describe_namespace
  echo "Namespace ${NAMESPACE} created (retention ${RETENTION})"
fi

for pair in ${SEARCH_ATTRIBUTES}; do
  name="${pair%%=*}"
  type="${pair#*=}"
  retry "register search attribute ${name}" register_search_attribute "${name}" "${type}"
  retry "search attribute ${name} visible" has_search_attribute "${name}"
  echo "Search attribute ${name} (${type}) registered"
done
