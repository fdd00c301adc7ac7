#!/usr/bin/env bash
# Runs every test project in Lbaas.sln and prints, as the very last line,
#   N passed, N failed, N skipped
# totalled from the TRX files of all projects. Exits non-zero when a test failed, when
# dotnet test failed, or when no test ran at all.
#
# Usage: test.sh [extra dotnet test arguments]
#   test.sh --filter "FullyQualifiedName~Lbaas.Api.Tests.Unit"     the pure unit tests of the API
#   test.sh --filter "FullyQualifiedName~RolloutTests"              one test class
#
# Before the tests, `dotnet format --verify-no-changes` checks the style the build does not
# (whitespace, imports): a change that needs `dotnet format` fails here, as it would in CI.
#
# Environment: LBAAS_HOME (default: <repo>/.lbaas); TRX files go to a new directory under
# $LBAAS_HOME/test-results (printed). The tests start their own throwaway PostgreSQL.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# shellcheck source=lib/common.sh
source "$SCRIPT_DIR/lib/common.sh"

# Sums the <Counters> attributes of every TRX file and prints "files passed failed skipped".
# xUnit's skipped tests count in total but not in executed (notExecuted stays 0), other
# adapters use notExecuted: skipped is whichever is larger. Failed includes error, timeout and
# aborted outcomes, which are not passes either.
trx_totals() {
  awk -v RS='<' '
    /^Counters[ \t\r\n]/ {
      files++
      for (i = 2; i <= NF; i++) {
        if (split($i, kv, "=") == 2) {
          gsub(/[^0-9]/, "", kv[2])
          c[kv[1]] += kv[2]
        }
      }
    }
    END {
      skipped = c["total"] - c["executed"]
      if (c["notExecuted"] > skipped) skipped = c["notExecuted"]
      failed = c["failed"] + c["error"] + c["timeout"] + c["aborted"]
      printf "%d %d %d %d\n", files, c["passed"], failed, skipped
    }
  ' "$@"
}

# Prints each failed test of the TRX files with the first lines of its message, so the tail of
# a CI log names what failed even when the console output above it was cut.
trx_failures() {
  awk -v RS='<UnitTestResult ' '
    NR > 1 {
      # The attributes only: the last record runs on to the end of the file (ResultSummary has an outcome too).
      attributes = substr($0, 1, index($0, ">"))
      if (attributes !~ /outcome="(Failed|Error|Timeout|Aborted)"/) next
      name = attributes; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      msg = ""
      if (match($0, /<Message>[^<]*<\/Message>/)) {
        msg = substr($0, RSTART + 9, RLENGTH - 19)
      }
      gsub(/&quot;/, "\"", name); gsub(/&lt;/, "<", name); gsub(/&gt;/, ">", name); gsub(/&amp;/, "\\&", name)
      gsub(/&quot;/, "\"", msg); gsub(/&lt;/, "<", msg); gsub(/&gt;/, ">", msg); gsub(/&amp;/, "\\&", msg)
      gsub(/\r/, "", msg)
      n = split(msg, lines, "\n")
      printf "  FAILED %s\n", name
      for (i = 1; i <= n && i <= 6; i++) printf "    %s\n", lines[i]
    }
  ' "$@"
}

# Deletes all but the newest $2 run directories under $1 (names start with a sortable timestamp).
prune_old_results() {
  local dir="$1" keep="$2" old=()
  mapfile -t old < <(find "$dir" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*-*' | sort -r | tail -n +"$keep")
  ((${#old[@]} == 0)) || rm -rf -- "${old[@]}"
}

# The summary is the last line even when the script stops early (missing SDK, restore error),
# so whatever reads it never finds an unrelated line there.
SUMMARY_PRINTED=0
print_summary() {
  echo "$1 passed, $2 failed, $3 skipped"
  SUMMARY_PRINTED=1
}
summary_on_exit() { ((SUMMARY_PRINTED)) || print_summary 0 0 0; }
trap summary_on_exit EXIT

main() {
  local results test_rc=0 trx_files=() files passed failed skipped

  lbaas_paths
  ensure_local_prerequisites
  # promtool parses GET /metrics in the metrics tests, which fail without it. Debian ships it
  # only in the Prometheus server package (on a systemd host the server starts as a service:
  # `systemctl disable --now prometheus` if it is not wanted).
  ensure_packages "promtool=prometheus"
  lbaas_prepare_home
  # A fresh directory per run, so concurrent runs in one checkout never mix or delete each
  # other's TRX files; only the newest few runs are kept.
  mkdir -p -- "$LBAAS_HOME/test-results"
  prune_old_results "$LBAAS_HOME/test-results" 10
  results="$(mktemp -d "$LBAAS_HOME/test-results/$(date +%Y%m%d-%H%M%S)-XXXXXX")"

  cd "$LBAAS_REPO_ROOT"
  log "Restoring local dotnet tools"
  dotnet tool restore

  log "Checking formatting (dotnet format --verify-no-changes)"
  if ! dotnet format Lbaas.sln --verify-no-changes; then
    warn "the code is not formatted: run 'dotnet format Lbaas.sln' and commit the result"
    print_summary 0 1 0
    return 1
  fi

  log "Running dotnet test Lbaas.sln (TRX files: $results)"
  # No LogFileName: with one, every project writes the same file and only the last survives;
  # the default name is unique per project (a "[1]" suffix is added on a clash).
  dotnet test Lbaas.sln \
    --results-directory "$results" \
    --logger trx \
    --logger "console;verbosity=normal" \
    "$@" || test_rc=$?

  mapfile -t trx_files < <(find "$results" -type f -name '*.trx' | sort)
  if ((${#trx_files[@]} > 0)); then
    read -r files passed failed skipped < <(trx_totals "${trx_files[@]}")
  else
    files=0 passed=0 failed=0 skipped=0
  fi

  echo
  log "dotnet test exit code: $test_rc; TRX files: $files"
  local status=0
  if ((test_rc != 0)); then
    warn "dotnet test failed (exit code $test_rc)"
    status=1
  fi
  if ((failed > 0)); then
    warn "$failed test(s) failed:"
    trx_failures "${trx_files[@]}"
    status=1
  fi
  if ((passed + failed == 0)); then
    warn "no test ran"
    status=1
  fi
  # Nothing may be printed after this line: CI reads it as the summary.
  print_summary "$passed" "$failed" "$skipped"
  return "$status"
}

main "$@"
