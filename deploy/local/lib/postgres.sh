# shellcheck shell=bash
# The throwaway PostgreSQL 15 cluster used by up.sh/down.sh when LBAAS_DATABASE_URL is not given.
# Requires common.sh (lbaas_paths already called).
#
# initdb/postgres refuse to run as root, so when these scripts run as root the cluster belongs to
# the `postgres` system user (created by Debian's postgresql package). That user then needs search
# permission on every directory above the cluster; when LBAAS_HOME does not allow that, the
# cluster lives in a per-checkout directory under /var/lib/lbaas instead (recorded in
# $LBAAS_HOME/postgres.location so down.sh finds it again).

LBAAS_PG_PORT="${LBAAS_PG_PORT:-55432}"
readonly PG_SUPERUSER=postgres PG_APP_USER=lbaas PG_APP_DB=lbaas
readonly PG_FALLBACK_BASE=/var/lib/lbaas

# The OS user that owns and runs the cluster.
pg_owner() {
  if [[ "$EUID" -eq 0 ]]; then echo postgres; else id -un; fi
}

# Runs a PostgreSQL binary as the cluster owner. From /, because the caller's working
# directory (e.g. /root) may be closed to that user; every path passed is absolute.
as_pg() {
  if [[ "$EUID" -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Sets PG_DIR and friends from the recorded location, or (when $1 is "choose") picks one.
# Returns 1 when nothing is recorded and no choice was asked for (no cluster was ever created).
pg_locate() {
  local location_file="$LBAAS_HOME/postgres.location"
  if [[ -s "$location_file" ]]; then
    PG_DIR="$(head -n 1 -- "$location_file")"
  elif [[ -d "$LBAAS_HOME/postgres" ]]; then
    PG_DIR="$LBAAS_HOME/postgres"
  elif [[ "${1:-}" == choose ]]; then
    PG_DIR="$(pg_choose_dir)"
    printf '%s\n' "$PG_DIR" >"$location_file"
  else
    return 1
  fi
  PG_DATA="$PG_DIR/data"
  PG_SOCKET_DIR="$PG_DIR/socket"
  PG_LOG="$PG_DIR/postgres.log"
}

pg_choose_dir() {
  local id
  if [[ "$EUID" -ne 0 ]] || runuser -u postgres -- test -x "$LBAAS_HOME"; then
    echo "$LBAAS_HOME/postgres"
    return
  fi
  # One directory per checkout: the hash of LBAAS_HOME keeps two checkouts apart.
  id="$(printf '%s' "$LBAAS_HOME" | sha256sum | cut -c1-16)"
  warn "user postgres cannot reach $LBAAS_HOME (a parent directory is not searchable by others);"
  warn "the PostgreSQL cluster goes to $PG_FALLBACK_BASE/$id instead (removed by down.sh --purge)"
  echo "$PG_FALLBACK_BASE/$id"
}

# Creates the cluster directory owned by the cluster owner. Everything PostgreSQL writes (data,
# socket, log) lives below it, so its permissions are the only ones that matter.
pg_prepare_dir() {
  local owner
  owner="$(pg_owner)"
  if [[ "$PG_DIR" == "$PG_FALLBACK_BASE"/* ]]; then
    mkdir -p -- "$PG_FALLBACK_BASE" "$PG_DIR"
    chmod 0755 -- "$PG_FALLBACK_BASE"
    printf 'PostgreSQL cluster for LBAAS_HOME=%s\n' "$LBAAS_HOME" >"$PG_DIR/OWNER"
  fi
  mkdir -p -- "$PG_DIR" "$PG_SOCKET_DIR"
  chown "$owner": -- "$PG_DIR" "$PG_SOCKET_DIR"
  chmod 0700 -- "$PG_DIR" "$PG_SOCKET_DIR"
  # The server writes its log next to its data; logs/ gets a link so all logs are in one place.
  ln -sfn -- "$PG_LOG" "$LBAAS_LOG_DIR/postgres.log"
}

pg_initialized() { [[ -f "$PG_DATA/PG_VERSION" ]]; }

# initdb once: scram-sha-256 for every connection, superuser password from secrets/.
pg_init_cluster() {
  local owner pwfile superuser_password
  pg_initialized && return 0
  owner="$(pg_owner)"
  superuser_password="$(lbaas_secret postgres-superuser.password)"
  log "Initialising PostgreSQL cluster in $PG_DATA"
  # initdb reads the password from a file it must be able to open as the cluster owner.
  pwfile="$PG_DIR/.initdb-pwfile"
  (
    umask 077
    printf '%s\n' "$superuser_password" >"$pwfile"
  )
  chown "$owner": -- "$pwfile"
  if ! as_pg "$LBAAS_PG_BIN/initdb" --pgdata="$PG_DATA" --username="$PG_SUPERUSER" \
    --auth=scram-sha-256 --pwfile="$pwfile" --encoding=UTF8 --no-locale \
    >"$PG_DIR/initdb.log" 2>&1; then
    rm -f -- "$pwfile"
    show_log_tail "$PG_DIR/initdb.log"
    die "initdb failed"
  fi
  rm -f -- "$pwfile"
}

# Quotes a value for postgresql.conf.
pg_conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# Settings that may change between runs (port) live in lbaas.conf, rewritten at every start
# and included from postgresql.conf (the include is added once).
pg_write_settings() {
  if ! grep -qx "include = 'lbaas.conf'" "$PG_DATA/postgresql.conf"; then
    printf "\n# Added by deploy/local/up.sh\ninclude = 'lbaas.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
  {
    echo "# Written by deploy/local/up.sh at every start; edit the script, not this file."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $LBAAS_PG_PORT"
    echo "unix_socket_directories = $(pg_conf_quote "$PG_SOCKET_DIR")"
    echo "password_encryption = 'scram-sha-256'"
  } | as_pg tee "$PG_DATA/lbaas.conf" >/dev/null
}

# pg_ctl status reads postmaster.pid and checks that pid: exit 0 means running.
pg_running() {
  pg_initialized && as_pg "$LBAAS_PG_BIN/pg_ctl" status --pgdata="$PG_DATA" >/dev/null 2>&1
}

# The port the running server actually listens on (4th line of postmaster.pid), which can
# differ from LBAAS_PG_PORT when the cluster was started with another value.
pg_running_port() {
  sed -n 4p -- "$PG_DATA/postmaster.pid"
}

pg_start() {
  if pg_running; then
    log "PostgreSQL already running (pid $(head -n 1 -- "$PG_DATA/postmaster.pid"), port $(pg_running_port))"
    return 0
  fi
  if port_in_use "$LBAAS_PG_PORT"; then
    die "port 127.0.0.1:$LBAAS_PG_PORT is already in use; set LBAAS_PG_PORT to a free port"
  fi
  pg_write_settings
  log "Starting PostgreSQL on 127.0.0.1:$LBAAS_PG_PORT (data: $PG_DATA)"
  # -w -t: pg_ctl waits (bounded) until the server accepts connections.
  if ! as_pg "$LBAAS_PG_BIN/pg_ctl" start --pgdata="$PG_DATA" --log="$PG_LOG" --wait --timeout=60 --silent; then
    show_log_tail "$PG_LOG"
    die "PostgreSQL did not start"
  fi
  lbaas_mark_started
}

# Creates role and database `lbaas` when missing and (re)sets the role's password from the
# secrets file, so the file stays the single source of truth.
pg_ensure_database() {
  local superuser_password app_password
  superuser_password="$(lbaas_secret postgres-superuser.password)"
  app_password="$(lbaas_secret lbaas-db.password)"
  # SQL goes through stdin so the password never shows up in a process listing.
  if ! PGPASSWORD="$superuser_password" "$LBAAS_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    --host="$PG_SOCKET_DIR" --port="$(pg_running_port)" --username="$PG_SUPERUSER" --dbname=postgres \
    >/dev/null <<SQL; then
SELECT format('CREATE ROLE %I LOGIN', '$PG_APP_USER')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_USER') \gexec
ALTER ROLE $PG_APP_USER WITH LOGIN PASSWORD '$app_password';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_APP_DB', '$PG_APP_USER')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_APP_DB') \gexec
SQL
    show_log_tail "$PG_LOG"
    die "could not create the $PG_APP_DB database"
  fi
}

# Npgsql key=value connection string for the API (password is hex, so no escaping is needed).
pg_connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s' \
    "$(pg_running_port)" "$PG_APP_USER" "$(lbaas_secret lbaas-db.password)" "$PG_APP_DB"
}

# up.sh entry point for this component: leaves LBAAS_DATABASE_URL set for the API.
postgres_up() {
  if [[ -n "${LBAAS_DATABASE_URL:-}" ]]; then
    log "Using the database from LBAAS_DATABASE_URL (no local PostgreSQL started)"
    return 0
  fi
  pg_locate choose
  pg_prepare_dir
  pg_init_cluster
  pg_start
  pg_ensure_database
  LBAAS_DATABASE_URL="$(pg_connection_string)"
  export LBAAS_DATABASE_URL
}

# down.sh entry point: stops the cluster through its postmaster.pid, keeps the data.
postgres_down() {
  if ! pg_locate; then
    log "PostgreSQL: no local cluster"
    return 0
  fi
  if ! pg_running; then
    log "PostgreSQL: not running"
    return 0
  fi
  log "Stopping PostgreSQL (pid $(head -n 1 -- "$PG_DATA/postmaster.pid"))"
  if ! as_pg "$LBAAS_PG_BIN/pg_ctl" stop --pgdata="$PG_DATA" --mode=fast --wait --timeout=60 --silent; then
    show_log_tail "$PG_LOG"
    die "PostgreSQL did not stop"
  fi
}
