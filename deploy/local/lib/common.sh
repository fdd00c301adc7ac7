# shellcheck shell=bash
# Shared helpers for deploy/local/*.sh. Sourced, never executed on its own.
#
# Layout of LBAAS_HOME (default: <repo>/.lbaas):
#   .lbaas-home        marker: down.sh --purge only deletes directories carrying it
#   app/               published API (dotnet publish output)
#   logs/              api.log, publish.log, migrate.log, postgres.log (link to the cluster's log)
#   run/               pid files and the values the running processes were started with
#   secrets/           generated passwords (directory 0700, files 0600)
#   postgres/          throwaway PostgreSQL cluster (unless a fallback location is used)
#   postgres.location  where the cluster directory is (see lib/postgres.sh)
#   test-results/      TRX files written by test.sh

# Resolved from this file's location so the scripts work from any working directory.
LBAAS_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)"
readonly LBAAS_REPO_ROOT

# Keep the .NET CLI quiet (no banner, no telemetry); none of this changes build output.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Set by lbaas_mark_started when a component's start function starts something; up.sh reports
# "nothing changed" when it stays 0.
# shellcheck disable=SC2034 # read by up.sh
LBAAS_STARTED_SOMETHING=0
# shellcheck disable=SC2034 # read by up.sh
lbaas_mark_started() { LBAAS_STARTED_SOMETHING=1; }

log() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints the last lines of a log so a failure explains itself without a second command.
show_log_tail() {
  local file="$1" lines="${2:-30}"
  if [[ -r "$file" ]]; then
    printf -- '---- last %s lines of %s ----\n' "$lines" "$file" >&2
    tail -n "$lines" -- "$file" >&2 || true
    printf -- '---- end of %s ----\n' "$file" >&2
  else
    printf '(no log at %s)\n' "$file" >&2
  fi
}

# Sets LBAAS_HOME (absolute, so pid files and logs stay valid whatever the caller's cwd)
# and the directory variables derived from it. Creates nothing.
lbaas_paths() {
  LBAAS_HOME="$(realpath -m -- "${LBAAS_HOME:-$LBAAS_REPO_ROOT/.lbaas}")"
  [[ "$LBAAS_HOME" != "/" ]] || die "LBAAS_HOME must not be /"
  export LBAAS_HOME
  LBAAS_LOG_DIR="$LBAAS_HOME/logs"
  LBAAS_RUN_DIR="$LBAAS_HOME/run"
  LBAAS_SECRETS_DIR="$LBAAS_HOME/secrets"
  LBAAS_MARKER="$LBAAS_HOME/.lbaas-home"
}

# Creates LBAAS_HOME and its fixed subdirectories; the marker lets down.sh --purge tell a
# directory we made from one that LBAAS_HOME was pointed at by mistake (e.g. $HOME).
lbaas_prepare_home() {
  if [[ -d "$LBAAS_HOME" && ! -e "$LBAAS_MARKER" ]] && [[ -n "$(ls -A -- "$LBAAS_HOME")" ]]; then
    die "LBAAS_HOME=$LBAAS_HOME exists, is not empty and was not created by these scripts; pick another directory"
  fi
  mkdir -p -- "$LBAAS_HOME" "$LBAAS_LOG_DIR" "$LBAAS_RUN_DIR"
  mkdir -p -- "$LBAAS_SECRETS_DIR"
  chmod 0700 -- "$LBAAS_SECRETS_DIR"
  [[ -e "$LBAAS_MARKER" ]] || printf 'Created by deploy/local scripts for %s\n' "$LBAAS_REPO_ROOT" >"$LBAAS_MARKER"
}

# Reads a generated secret, creating it (48 hex characters, 0600) on first use. Hex keeps it
# safe inside an Npgsql key=value connection string and inside SQL string literals.
lbaas_secret() {
  local file="$LBAAS_SECRETS_DIR/$1"
  if [[ ! -s "$file" ]]; then
    (
      umask 077
      od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file"
    )
  fi
  chmod 0600 -- "$file"
  cat -- "$file"
}

# True when the pid file names a live process whose command line contains $2. The command
# line check guards against a recycled pid; processes are never searched for by name.
pid_file_alive() {
  local pid_file="$1" expect="$2" pid cmdline
  [[ -r "$pid_file" ]] || return 1
  pid="$(head -n 1 -- "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ "$cmdline" == *"$expect"* ]]
}

# Stops the process in pid file $1 (alive check: command line contains $2): signal $3 (a graceful
# stop), up to $4 seconds, then signal $5. $6 names it in messages. Never finds processes by name.
stop_pid_file() {
  local pid_file="$1" expect="$2" soft="$3" seconds="$4" hard="$5" what="$6" pid deadline
  pid="$(head -n 1 -- "$pid_file")"
  log "Stopping $what (pid $pid)"
  kill "-$soft" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + seconds))
  while pid_file_alive "$pid_file" "$expect" && ((SECONDS < deadline)); do sleep 0.5; done
  if pid_file_alive "$pid_file" "$expect"; then
    warn "$what did not stop within ${seconds}s; sending SIG$hard"
    kill "-$hard" "$pid" 2>/dev/null || true
    sleep 1
  fi
  ! pid_file_alive "$pid_file" "$expect" || die "could not stop $what (pid $pid)"
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp, bounded).
port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose
  timeout 2 bash -c ': <"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ "$EUID" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -- "$@"
  else
    die "need root to run: $* (install sudo or run as root)"
  fi
}

# Installs the Debian packages named after each "probe=package" pair whose probe is missing.
# A probe is an absolute path (checked with -x) or a command name (checked with command -v).
# apt-get update runs once, and only when something has to be installed.
ensure_packages() {
  local pair probe package missing=()
  for pair in "$@"; do
    probe="${pair%%=*}"
    package="${pair#*=}"
    if [[ "$probe" == /* ]]; then
      [[ -x "$probe" ]] && continue
    else
      command -v "$probe" >/dev/null 2>&1 && continue
    fi
    [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
  done
  ((${#missing[@]} > 0)) || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get to install them"
  log "Installing missing packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# What up.sh and test.sh need on a fresh Debian 12 (the .NET SDK is a prerequisite).
ensure_local_prerequisites() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian"
  ensure_packages \
    "$LBAAS_PG_BIN/initdb=postgresql-15" \
    "$LBAAS_PG_BIN/pg_ctl=postgresql-15" \
    "$LBAAS_PG_BIN/psql=postgresql-client-15" \
    "haproxy=haproxy" \
    "curl=curl" \
    "runuser=util-linux" \
    "setsid=util-linux" \
    "realpath=coreutils" \
    "timeout=coreutils" \
    "od=coreutils" \
    "sha256sum=coreutils"
}

# PostgreSQL 15 server binaries (Debian's postgresql-15 package); overridable for other layouts.
LBAAS_PG_BIN="${LBAAS_PG_BIN:-/usr/lib/postgresql/15/bin}"
