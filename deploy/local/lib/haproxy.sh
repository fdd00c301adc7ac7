# shellcheck shell=bash
# HAProxy (Debian's 2.6) in master-worker mode for up.sh/down.sh. Requires common.sh (lbaas_paths
# called) and api.sh (api_vars called: the published API renders the bootstrap configuration).
#
# Everything lives in $LBAAS_HOME/haproxy: haproxy.cfg (written by the API from then on), its
# last-good copy and the bootstrap configuration, the master CLI socket, the admin socket, the
# server-state file and the pid files of the master and of its supervisor. The API finds them
# through LBAAS_HAPROXY_DIR.

LBAAS_STATS_PORT="${LBAAS_STATS_PORT:-8404}"

haproxy_vars() {
  LBAAS_HAPROXY_DIR="$LBAAS_HOME/haproxy"
  export LBAAS_HAPROXY_DIR
  HAPROXY_CFG="$LBAAS_HAPROXY_DIR/haproxy.cfg"
  HAPROXY_BOOTSTRAP_CFG="$LBAAS_HAPROXY_DIR/haproxy.cfg.bootstrap"
  HAPROXY_MASTER_SOCKET="$LBAAS_HAPROXY_DIR/master.sock"
  HAPROXY_PID_FILE="$LBAAS_HAPROXY_DIR/haproxy.pid"
  HAPROXY_SUPERVISOR_PID_FILE="$LBAAS_HAPROXY_DIR/supervisor.pid"
  HAPROXY_SUPERVISOR="$LBAAS_REPO_ROOT/deploy/haproxy/supervise.sh"
  HAPROXY_LOG="$LBAAS_LOG_DIR/haproxy.log"
}

# Both command lines contain the path of our config, so a recycled pid is not mistaken for them.
haproxy_supervised() { pid_file_alive "$HAPROXY_SUPERVISOR_PID_FILE" "$HAPROXY_CFG"; }
haproxy_master_alive() { pid_file_alive "$HAPROXY_PID_FILE" "$HAPROXY_CFG"; }
haproxy_running() { haproxy_supervised || haproxy_master_alive; }

# HAProxy runs under deploy/haproxy/supervise.sh, which starts the master again whenever it dies
# (a dead worker takes HAProxy 2.6's master with it). It starts on the file on disk (what ran
# last), falling back to its last-good copy and then to the bootstrap configuration (no load
# balancers) if that does not start, e.g. on a port another process took meanwhile; the API
# then applies the stored load balancers with its port checks.
haproxy_up() {
  if haproxy_supervised; then
    log "HAProxy already running under its supervisor (pid $(head -n 1 -- "$HAPROXY_SUPERVISOR_PID_FILE"))"
    return 0
  fi
  if haproxy_master_alive; then
    warn "HAProxy (master pid $(head -n 1 -- "$HAPROXY_PID_FILE")) runs without a supervisor (started by an older up.sh): it is not restarted if it dies; run down.sh and up.sh to supervise it"
    return 0
  fi
  if port_in_use "$LBAAS_STATS_PORT"; then
    die "port 127.0.0.1:$LBAAS_STATS_PORT (HAProxy stats) is already in use; set LBAAS_STATS_PORT to a free port"
  fi
  mkdir -p -- "$LBAAS_HAPROXY_DIR"
  log "Writing HAProxy's bootstrap configuration ($HAPROXY_BOOTSTRAP_CFG)"
  if ! (api_exec dotnet "$API_DLL" haproxy-bootstrap "$HAPROXY_BOOTSTRAP_CFG") >>"$HAPROXY_LOG" 2>&1; then
    show_log_tail "$HAPROXY_LOG"
    die "could not render HAProxy's bootstrap configuration"
  fi
  log "Starting HAProxy in master-worker mode under its supervisor (log: $HAPROXY_LOG)"
  rm -f -- "$HAPROXY_PID_FILE"
  setsid "$HAPROXY_SUPERVISOR" --config "$HAPROXY_CFG" --master-socket "$HAPROXY_MASTER_SOCKET" \
    --pid-file "$HAPROXY_PID_FILE" --bootstrap "$HAPROXY_BOOTSTRAP_CFG" </dev/null >>"$HAPROXY_LOG" 2>&1 &
  echo $! >"$HAPROXY_SUPERVISOR_PID_FILE"
  local deadline=$((SECONDS + 15))
  while ! { haproxy_master_alive && [[ -S "$HAPROXY_MASTER_SOCKET" ]]; } && haproxy_supervised && ((SECONDS < deadline)); do
    sleep 0.2
  done
  haproxy_master_alive || {
    show_log_tail "$HAPROXY_LOG"
    die "HAProxy exited during start"
  }
  lbaas_mark_started
}

# SIGUSR1 to the supervisor: it stops restarting and passes it on, HAProxy's soft stop (listeners
# close, current connections finish, bounded by hard-stop-after). After 35 s, SIGTERM.
haproxy_down() {
  if haproxy_supervised; then
    stop_pid_file "$HAPROXY_SUPERVISOR_PID_FILE" "$HAPROXY_CFG" USR1 35 TERM "HAProxy and its supervisor"
  elif haproxy_master_alive; then
    stop_pid_file "$HAPROXY_PID_FILE" "$HAPROXY_CFG" USR1 35 TERM "HAProxy"
  else
    log "HAProxy: not running"
  fi
  rm -f -- "$HAPROXY_PID_FILE" "$HAPROXY_SUPERVISOR_PID_FILE"
}
