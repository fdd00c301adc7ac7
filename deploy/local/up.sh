#!/usr/bin/env bash
# Starts the Lbaas control plane locally: a throwaway PostgreSQL 15 cluster (unless
# LBAAS_DATABASE_URL is given), HAProxy in master-worker mode and the API, all on loopback.
# Safe to run again: components that are already running are left alone.
#
# Environment:
#   LBAAS_HOME           state directory (default: <repo>/.lbaas)
#   LBAAS_DATABASE_URL   use this database instead of starting a local cluster
#   LBAAS_PG_PORT        port of the local cluster (default 55432)
#   LBAAS_API_PORT       port of the API (default 8000)
#   LBAAS_BIND_ADDRESS   address load balancer frontends bind to (default 127.0.0.1)
#   LBAAS_STATS_PORT     HAProxy's stats page and Prometheus exporter on 127.0.0.1 (default 8404)
#   LBAAS_READY_TIMEOUT  seconds to wait for /health/ready (default 60)
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
  sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# The down.sh command line that matches this LBAAS_HOME.
stop_command() {
  if [[ "$LBAAS_HOME" == "$LBAAS_REPO_ROOT/.lbaas" ]]; then
    echo "$SCRIPT_DIR/down.sh"
  else
    echo "LBAAS_HOME=$LBAAS_HOME $SCRIPT_DIR/down.sh"
  fi
}

print_summary() {
  local base stop
  base="$(api_base_url)"
  stop="$(stop_command)"
  cat <<EOF

Lbaas is up.
  API          $base/
  Swagger UI   $base/docs
  ReDoc        $base/redoc
  OpenAPI JSON $base/openapi/v1.json
  Readiness    $base/health/ready
  HAProxy      http://127.0.0.1:$LBAAS_STATS_PORT/stats (files in $LBAAS_HAPROXY_DIR)
  Logs         $LBAAS_LOG_DIR/ (api.log, haproxy.log, migrate.log, publish.log, postgres.log)
  Stop         $stop   (add --purge to delete $LBAAS_HOME)
EOF
}

up_failed() {
  (($1 == 0)) && return 0
  warn "up.sh failed; anything it already started is still running (stop it: $(stop_command))"
}

main() {
  case "${1:-}" in
    "") ;;
    -h | --help)
      usage
      return 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac

  lbaas_paths
  api_vars
  haproxy_vars
  # On failure, say what to do about components that did start (they are left running so a
  # second up.sh after a fix is quick).
  trap 'up_failed $?' EXIT
  ensure_local_prerequisites
  lbaas_prepare_home

  # Components start in dependency order, one <component>_up function each, and every one of
  # them is idempotent (it checks its own pid file first). The API is built first because it
  # renders HAProxy's bootstrap configuration; it starts last, once HAProxy runs, and then makes
  # HAProxy serve the stored load balancers. down.sh stops components in reverse order.
  postgres_up
  api_build
  haproxy_up
  api_up

  if ((LBAAS_STARTED_SOMETHING == 0)); then
    log "Everything was already running; nothing changed."
  fi
  print_summary
}

main "$@"
