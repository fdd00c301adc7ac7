#!/usr/bin/env bash
# Runs HAProxy's master (master-worker mode) in the foreground and starts it again whenever it
# dies, without a person. Used by deploy/local (up.sh) and meant as the HAProxy entrypoint of a
# container; on hosts, deploy/systemd/lbaas-haproxy.service does the same with Restart=always.
#
# Usage: supervise.sh --config FILE --master-socket SOCKET [--pid-file FILE] [--bootstrap FILE]
#
#   --config         haproxy.cfg, written only by the Lbaas applier (validated files only)
#   --master-socket  the master CLI socket (-S) the API drives
#   --pid-file       where the master writes its pid (-p)
#   --bootstrap      configuration with no load balancers: the last fallback
#
# HAProxy 2.6's master leaves as soon as its last worker is gone (a worker killed, crashed or
# stopped), whatever "master-worker no-exit-on-failure" says, so a dead worker and a dead master
# both end here. Each start uses, in order, the file on disk (what ran last), its last-good copy
# (FILE.last-good) and the bootstrap; a start that fails (the master exits within
# SUPERVISE_START_WINDOW seconds with an error, e.g. a port another process took) moves to the
# next one, which is copied over FILE (and FILE.last-good) so that both always say what runs (the
# applier then brings HAProxy to the desired state, leaving out what cannot be bound). The failed
# file is kept as FILE.failed. The state file, certificates and maps are never touched.
#
# Environment:
#   HAPROXY_BINARY / LBAAS_HAPROXY_BINARY  the haproxy binary (default: haproxy on PATH)
#   SUPERVISE_RESTART_DELAY    seconds before a restart (default 0.1)
#   SUPERVISE_MAX_RESTARTS     restarts allowed per SUPERVISE_RESTART_WINDOW seconds (default 10 per 60);
#                              beyond that the supervisor waits SUPERVISE_BACKOFF seconds (default 5)
#   SUPERVISE_START_WINDOW     a master exiting sooner than this counts as a failed start (default 2)
#
# Signals: SIGTERM/SIGINT stop HAProxy at once, SIGUSR1 stops it softly (connections finish,
# bounded by hard-stop-after), SIGUSR2/SIGHUP are passed on (reload); after a deliberate stop
# there is no restart and the supervisor exits.
set -uo pipefail

config="" socket="" pid_file="" bootstrap=""
while (($# > 0)); do
  case "$1" in
    --config) config="$2"; shift ;;
    --master-socket) socket="$2"; shift ;;
    --pid-file) pid_file="$2"; shift ;;
    --bootstrap) bootstrap="$2"; shift ;;
    -h | --help) sed -n '2,32s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "supervise: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$config" && -n "$socket" ]] || { echo "supervise: --config and --master-socket are required" >&2; exit 2; }

binary="${HAPROXY_BINARY:-${LBAAS_HAPROXY_BINARY:-haproxy}}"
restart_delay="${SUPERVISE_RESTART_DELAY:-0.1}"
max_restarts="${SUPERVISE_MAX_RESTARTS:-10}"
restart_window="${SUPERVISE_RESTART_WINDOW:-60}"
backoff="${SUPERVISE_BACKOFF:-5}"
start_window="${SUPERVISE_START_WINDOW:-2}"

say() { printf '%s supervise[%d]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$$" "$*" >&2; }

master="" stopping=0
on_signal() {
  local signal="$1"
  case "$signal" in
    TERM | INT | USR1) stopping=1 ;;
  esac
  say "SIG$signal: passing it to master ${master:-(none)}$( ((stopping)) && echo '; no restart after it')"
  [[ -n "$master" ]] && kill "-$signal" "$master" 2>/dev/null
}
for signal in TERM INT USR1 USR2 HUP; do
  # shellcheck disable=SC2064 # the signal name is fixed now, on purpose
  trap "on_signal $signal" "$signal"
done

# Which file the next start uses: 0 = the file on disk, 1 = its last-good copy, 2 = the bootstrap.
fallback_to() {
  local level="$1" source=""
  case "$level" in
    1) source="$config.last-good" ;;
    2) source="$bootstrap" ;;
  esac
  [[ -n "$source" && -r "$source" ]] || return 1
  # The same text would fail the same way.
  ! cmp -s -- "$source" "$config" || return 1
  [[ -e "$config" ]] && cp -f -- "$config" "$config.failed"
  cp -f -- "$source" "$config.tmp" && mv -f -- "$config.tmp" "$config"
  # The applier reads the last-good copy as "what the running master loaded" (ports it holds, the
  # text it serves): it must say the same as the file, or the applier would trust a text no
  # worker runs.
  if [[ "$source" != "$config.last-good" ]]; then
    cp -f -- "$source" "$config.last-good.tmp" && mv -f -- "$config.last-good.tmp" "$config.last-good"
  fi
  say "starting on $source instead (the file that failed is kept as $config.failed)"
}

[[ -e "$config" ]] || fallback_to 2 || { say "no $config and no bootstrap configuration"; exit 1; }

level=0
restarts=()
while ((stopping == 0)); do
  rm -f -- "$socket"
  args=(-W -S "$socket" -f "$config")
  [[ -n "$pid_file" ]] && args+=(-p "$pid_file")
  started=$SECONDS
  "$binary" "${args[@]}" &
  master=$!
  say "master $master started on $config"
  # wait returns early (above 128) when a trapped signal arrives; the master is then still ours.
  while :; do
    wait "$master"
    status=$?
    kill -0 "$master" 2>/dev/null || break
  done
  master=""
  if ((stopping)); then
    say "HAProxy stopped (status $status); not restarting"
    break
  fi
  if ((status != 0 && status < 128 && SECONDS - started < start_window)); then
    say "master exited with status $status within ${start_window}s of its start: a failed start"
    if ((level < 2)) && fallback_to $((level + 1)); then
      level=$((level + 1))
    elif ((level < 2)) && fallback_to 2; then
      level=2
    fi
  else
    say "master exited with status $status after $((SECONDS - started))s (its last worker died or it was killed); restarting on $config"
    level=0
  fi
  # Bounded restart rate: at most max_restarts per restart_window seconds.
  now=$SECONDS kept=()
  for at in "${restarts[@]}"; do ((now - at < restart_window)) && kept+=("$at"); done
  restarts=("${kept[@]}" "$now")
  if ((${#restarts[@]} > max_restarts)); then
    say "${#restarts[@]} restarts within ${restart_window}s; waiting ${backoff}s"
    sleep "$backoff" &
  else
    sleep "$restart_delay" &
  fi
  wait $! 2>/dev/null
done
exit 0
