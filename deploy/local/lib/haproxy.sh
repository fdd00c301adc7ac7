# shellcheck shell=bash
# HAProxy (Debian's 2.6) in master-worker mode for up.sh/down.sh. Requires common.sh (lbaas_paths
# called) and api.sh (api_vars called: the published API renders the bootstrap configuration).
#
# Everything lives in $LBAAS_HOME/haproxy: haproxy.cfg (written by the API from then on), the
# master CLI socket, the admin socket, the server-state file and the master's pid file. The API
# finds them through LBAAS_HAPROXY_DIR.

LBAAS_STATS_PORT="${LBAAS_STATS_PORT:-8404}"

haproxy_vars() {
  LBAAS_HAPROXY_DIR="$LBAAS_HOME/haproxy"
  export LBAAS_HAPROXY_DIR
  HAPROXY_CFG="$LBAAS_HAPROXY_DIR/haproxy.cfg"
  HAPROXY_MASTER_SOCKET="$LBAAS_HAPROXY_DIR/master.sock"
  HAPROXY_PID_FILE="$LBAAS_HAPROXY_DIR/haproxy.pid"
  HAPROXY_LOG="$LBAAS_LOG_DIR/haproxy.log"
}

# The master's command line contains the path of our config, so a recycled pid is not mistaken for it.
haproxy_running() { pid_file_alive "$HAPROXY_PID_FILE" "$HAPROXY_CFG"; }

# Starts from a bootstrap configuration (no load balancers): starting on the full last
# configuration could fail on a port another process took meanwhile. The API then applies the
# stored load balancers with its port checks.
haproxy_up() {
  if haproxy_running; then
    log "HAProxy already running (master pid $(head -n 1 -- "$HAPROXY_PID_FILE"))"
    return 0
  fi
  if port_in_use "$LBAAS_STATS_PORT"; then
    die "port 127.0.0.1:$LBAAS_STATS_PORT (HAProxy stats) is already in use; set LBAAS_STATS_PORT to a free port"
  fi
  mkdir -p -- "$LBAAS_HAPROXY_DIR"
  log "Writing HAProxy's bootstrap configuration ($HAPROXY_CFG)"
  if ! (api_exec dotnet "$API_DLL" haproxy-bootstrap) >>"$HAPROXY_LOG" 2>&1; then
    show_log_tail "$HAPROXY_LOG"
    die "could not render HAProxy's bootstrap configuration"
  fi
  log "Starting HAProxy in master-worker mode (log: $HAPROXY_LOG)"
  rm -f -- "$HAPROXY_MASTER_SOCKET"
  # -W master-worker, -D daemon (the master writes its pid to -p), -S the master CLI socket.
  if ! haproxy -W -D -S "$HAPROXY_MASTER_SOCKET" -f "$HAPROXY_CFG" -p "$HAPROXY_PID_FILE" >>"$HAPROXY_LOG" 2>&1; then
    show_log_tail "$HAPROXY_LOG"
    die "HAProxy did not start"
  fi
  local deadline=$((SECONDS + 15))
  while ! { haproxy_running && [[ -S "$HAPROXY_MASTER_SOCKET" ]]; } && ((SECONDS < deadline)); do
    sleep 0.2
  done
  haproxy_running || {
    show_log_tail "$HAPROXY_LOG"
    die "HAProxy exited during start"
  }
  lbaas_mark_started
}

# SIGUSR1 is HAProxy's soft stop: listeners close, current connections finish (bounded by
# hard-stop-after). After 35 s, SIGTERM.
haproxy_down() {
  if ! haproxy_running; then
    log "HAProxy: not running"
    rm -f -- "${HAPROXY_PID_FILE:?}"
    return 0
  fi
  stop_pid_file "$HAPROXY_PID_FILE" "$HAPROXY_CFG" USR1 35 TERM "HAProxy"
  rm -f -- "$HAPROXY_PID_FILE"
}
