# shellcheck shell=bash
# The Lbaas API process (src/Lbaas.Api) for up.sh/down.sh. Requires common.sh (lbaas_paths called).

LBAAS_API_PORT="${LBAAS_API_PORT:-8000}"
LBAAS_BIND_ADDRESS="${LBAAS_BIND_ADDRESS:-127.0.0.1}"
LBAAS_READY_TIMEOUT="${LBAAS_READY_TIMEOUT:-60}"
readonly API_PROJECT="src/Lbaas.Api/Lbaas.Api.csproj" API_DLL="Lbaas.Api.dll"

api_vars() {
  API_APP_DIR="$LBAAS_HOME/app"
  API_PID_FILE="$LBAAS_RUN_DIR/api.pid"
  API_PORT_FILE="$LBAAS_RUN_DIR/api.port"
  API_LOG="$LBAAS_LOG_DIR/api.log"
}

api_running() { pid_file_alive "$API_PID_FILE" "$API_DLL"; }

# The port of the running API (recorded at start), else the configured one.
api_port() {
  if api_running && [[ -s "$API_PORT_FILE" ]]; then head -n 1 -- "$API_PORT_FILE"; else echo "$LBAAS_API_PORT"; fi
}

api_base_url() { echo "http://127.0.0.1:$(api_port)"; }

api_publish() {
  local publish_log="$LBAAS_LOG_DIR/publish.log"
  log "Publishing $API_PROJECT to $API_APP_DIR (log: $publish_log)"
  if ! (cd "$LBAAS_REPO_ROOT" && dotnet publish "$API_PROJECT" -c Release -o "$API_APP_DIR") >"$publish_log" 2>&1; then
    show_log_tail "$publish_log"
    die "dotnet publish failed"
  fi
}

# Runs the published API with the environment it reads; used for both `migrate` and serving.
# The working directory is the publish directory because ASP.NET takes its content root
# (appsettings*.json) from there.
api_exec() {
  cd "$API_APP_DIR" || exit 1
  export LBAAS_DATABASE_URL LBAAS_API_PORT LBAAS_BIND_ADDRESS LBAAS_HAPROXY_DIR LBAAS_STATS_PORT
  export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$LBAAS_API_PORT"
  exec "$@"
}

api_migrate() {
  local migrate_log="$LBAAS_LOG_DIR/migrate.log"
  log "Applying database migrations (log: $migrate_log)"
  # Bounded: the API itself retries an unreachable database for a while before giving up.
  if ! (api_exec timeout 180 dotnet "$API_DLL" migrate) >"$migrate_log" 2>&1; then
    show_log_tail "$migrate_log"
    die "database migration failed"
  fi
}

api_start() {
  local pid
  if port_in_use "$LBAAS_API_PORT"; then
    die "port 127.0.0.1:$LBAAS_API_PORT is already in use; set LBAAS_API_PORT to a free port"
  fi
  log "Starting the API on 127.0.0.1:$LBAAS_API_PORT (log: $API_LOG)"
  # setsid + nohup detach the server from this shell's session and terminal so it outlives the
  # script. The shell runs without job control, so the background subshell is not a process
  # group leader: setsid then calls setsid(2) in place instead of forking, and $! stays the
  # pid of the dotnet process after the execs.
  (api_exec setsid nohup dotnet "$API_DLL" </dev/null >>"$API_LOG" 2>&1) &
  pid=$!
  printf '%s\n' "$pid" >"$API_PID_FILE"
  printf '%s\n' "$LBAAS_API_PORT" >"$API_PORT_FILE"
  lbaas_mark_started
  # Until the subshell has exec'd dotnet, /proc/$pid/cmdline still shows bash; wait (bounded)
  # so api_running does not mistake a process that is still starting for a dead one.
  local deadline=$((SECONDS + 10))
  # (A zombie has an empty command line, which ends the wait as well.)
  while [[ -n "$(tr -d '\0' 2>/dev/null <"/proc/$pid/cmdline")" ]] && ! api_running && ((SECONDS < deadline)); do
    sleep 0.1
  done
}

# Waits (bounded) for GET /health/ready to answer 200; gives up early if the process died.
# $1=1 when this run started the API: only then is a server that never gets ready stopped.
api_wait_ready() {
  local started="$1" url deadline
  url="$(api_base_url)/health/ready"
  deadline=$((SECONDS + LBAAS_READY_TIMEOUT))
  log "Checking readiness (up to ${LBAAS_READY_TIMEOUT}s): $url"
  while ((SECONDS < deadline)); do
    if ! api_running; then
      show_log_tail "$API_LOG"
      rm -f -- "$API_PID_FILE" "$API_PORT_FILE"
      die "the API exited during startup"
    fi
    # A generous per-request limit: a slow check should answer 503, not be cut off by curl.
    if curl --silent --fail --output /dev/null --max-time 10 "$url"; then
      return 0
    fi
    sleep 1
  done
  show_log_tail "$API_LOG"
  if ((started)); then
    # Do not leave a half-started server behind: the next up.sh starts from a clean state.
    api_stop >&2
  else
    warn "the API was already running before this up.sh; it is left as it was"
  fi
  die "the API was not ready after ${LBAAS_READY_TIMEOUT}s"
}

# up.sh, first half: publish and migrate unless the API is already running (HAProxy's
# bootstrap configuration is rendered by the published API, so this comes before haproxy_up).
api_build() {
  if ! api_running; then
    api_publish
    api_migrate
  fi
}

# up.sh, second half: start unless running, then wait until ready (database and HAProxy).
api_up() {
  local started=0
  if api_running; then
    log "API already running (pid $(head -n 1 -- "$API_PID_FILE"), $(api_base_url))"
  else
    api_start
    started=1
  fi
  api_wait_ready "$started"
}

# Sends SIGTERM (ASP.NET shuts down gracefully), waits up to 30 s, then SIGKILL.
api_stop() {
  if ! api_running; then
    if [[ -e "$API_PID_FILE" ]]; then
      log "API: not running (removing stale pid file)"
      rm -f -- "$API_PID_FILE" "$API_PORT_FILE"
    else
      log "API: not running"
    fi
    return 0
  fi
  stop_pid_file "$API_PID_FILE" "$API_DLL" TERM 30 KILL "the API"
  rm -f -- "$API_PID_FILE" "$API_PORT_FILE"
}

api_down() { api_stop; }
