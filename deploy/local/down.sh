#!/usr/bin/env bash
# Stops what deploy/local/up.sh started, using its pid files only (never by process name):
# the API first, then HAProxy, then the PostgreSQL cluster (pg_ctl stop -m fast). Data is kept.
#
# Usage: down.sh [--purge]
#   --purge   also delete LBAAS_HOME (and the cluster directory, if it lives elsewhere)
#
# Environment: LBAAS_HOME (default: <repo>/.lbaas), as for up.sh.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"
# shellcheck source=lib/postgres.sh
source "$SCRIPT_DIR/lib/postgres.sh"
# shellcheck source=lib/api.sh
source "$SCRIPT_DIR/lib/api.sh"
# shellcheck source=lib/haproxy.sh
source "$SCRIPT_DIR/lib/haproxy.sh"

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Deletes LBAAS_HOME, but only a directory these scripts created (it carries the marker).
purge() {
  if [[ ! -e "$LBAAS_HOME" ]]; then
    log "Nothing to purge: $LBAAS_HOME does not exist"
    return 0
  fi
  [[ -e "$LBAAS_MARKER" ]] || die "refusing to delete $LBAAS_HOME: it has no $(basename "$LBAAS_MARKER") marker"
  # A cluster outside LBAAS_HOME (the /var/lib/lbaas fallback) goes too.
  if pg_locate && [[ "$PG_DIR" != "$LBAAS_HOME"/* && -d "$PG_DIR" ]]; then
    [[ "$PG_DIR" == "$PG_FALLBACK_BASE"/?* ]] || die "refusing to delete unexpected cluster directory $PG_DIR"
    log "Deleting $PG_DIR"
    rm -rf -- "$PG_DIR"
    rmdir --ignore-fail-on-non-empty -- "$PG_FALLBACK_BASE"
  fi
  log "Deleting $LBAAS_HOME"
  rm -rf -- "$LBAAS_HOME"
}

main() {
  local purge=0
  while (($# > 0)); do
    case "$1" in
      --purge) purge=1 ;;
      -h | --help)
        usage
        return 0
        ;;
      *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
  done

  lbaas_paths
  api_vars
  haproxy_vars
  if [[ ! -d "$LBAAS_HOME" ]]; then
    log "Nothing to do: $LBAAS_HOME does not exist"
    return 0
  fi

  # Reverse start order: the API (which drives HAProxy) first, then HAProxy, then PostgreSQL.
  api_down
  haproxy_down
  postgres_down

  if ((purge)); then
    purge
  else
    log "Data kept in $LBAAS_HOME (run with --purge to delete it)"
  fi
}

main "$@"
