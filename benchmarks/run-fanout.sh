#!/usr/bin/env bash
# The fan-out matrix of issue 4 against a runtime that is already running: prints a markdown table.
# Starts nothing itself. See README.md, section "Fan-out (issue 4)".
#
#   benchmarks/run-fanout.sh --pid PID --token TOKEN [--url ws://127.0.0.1:7320/ws/audio] [--jar JAR]
#
# Environment (defaults in brackets):
#   FANOUT_WARMUP        warm-up seconds per row [10]
#   FANOUT_FIRST_WARMUP  warm-up of the very first row, while the runtime's JIT compiles [60]
#   FANOUT_SECONDS       measured seconds per row [30]
#   FANOUT_RATE          sample rate [48000]
#   FANOUT_CHANNELS      channel counts [6 48]
#   FANOUT_FRAMES        buffer_frames values [4096 256]
#   FANOUT_CLIENTS       client counts, each a row without stalled clients [1 10 100 200 500]
#   FANOUT_STALLED       extra rows, CLIENTS:STALLED [20:2]
#   FANOUT_CLOSE_STORM   1 = --close-storm on every row [0]
#   FANOUT_JAVA_OPTS     JVM options of the load tool [-Xms64m -Xmx1g]
#   FANOUT_LOG_DIR       where each row's full report goes [a new temporary directory]
# Quick smoke run:  FANOUT_FIRST_WARMUP=2 FANOUT_WARMUP=2 FANOUT_SECONDS=5 benchmarks/run-fanout.sh --pid ... --token ...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pid=""
token=""
url="ws://127.0.0.1:7320/ws/audio"
jar="$here/target/earshot-fanout.jar"

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --pid) pid="${2:?--pid needs a value}"; shift 2 ;;
    --token) token="${2:?--token needs a value}"; shift 2 ;;
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --jar) jar="${2:?--jar needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-fanout: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

[ -n "$pid" ] || { echo "run-fanout: --pid of the running runtime is required" >&2; exit 2; }
[ -n "$token" ] || { echo "run-fanout: --token is required (configs are switched through /ws/config)" >&2; exit 2; }
kill -0 "$pid" 2>/dev/null || { echo "run-fanout: no process $pid" >&2; exit 2; }
[ -f "$jar" ] || { echo "run-fanout: $jar not found; build it: mvn -B -f benchmarks/pom.xml package" >&2; exit 2; }

warmup="${FANOUT_WARMUP:-10}"
first_warmup="${FANOUT_FIRST_WARMUP:-60}"
seconds="${FANOUT_SECONDS:-30}"
rate="${FANOUT_RATE:-48000}"
channels_list="${FANOUT_CHANNELS:-6 48}"
frames_list="${FANOUT_FRAMES:-4096 256}"
clients_list="${FANOUT_CLIENTS:-1 10 100 200 500}"
stalled_list="${FANOUT_STALLED:-20:2}"
storm=()
[ "${FANOUT_CLOSE_STORM:-0}" = "1" ] && storm=(--close-storm)
read -r -a java_opts <<< "${FANOUT_JAVA_OPTS:--Xms64m -Xmx1g}"
log_dir="${FANOUT_LOG_DIR:-$(mktemp -d -t earshot-fanout.XXXXXX)}"
mkdir -p "$log_dir"

echo "Fan-out matrix: runtime pid $pid, $url, rate $rate, warm-up ${warmup} s (first row ${first_warmup} s), window ${seconds} s, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
java "${java_opts[@]}" -jar "$jar" --markdown-header

first=1
row() {   # channels frames clients stalled
  local ch="$1" fr="$2" n="$3" k="$4" w="$warmup" log rc line
  if [ "$first" = 1 ]; then w="$first_warmup"; first=0; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "| $ch | $fr | $n | $k | runtime (pid $pid) is gone |"
    return 1
  fi
  log="$log_dir/fanout-${ch}ch-${fr}-${n}c-${k}s.txt"
  set +e
  java "${java_opts[@]}" -jar "$jar" --url "$url" --token "$token" --pid "$pid" \
    --clients "$n" --stalled "$k" --config "$rate,$ch,$fr" \
    --warmup "$w" --seconds "$seconds" --markdown --json "${storm[@]}" > "$log" 2>&1
  rc=$?
  set -e
  line="$(grep '^| ' "$log" | grep -v '^| ch |' | tail -n 1 || true)"
  if [ -n "$line" ]; then
    echo "$line"
  else
    echo "| $ch | $fr | $n | $k | no result (exit $rc): $(grep -m1 'fanout:' "$log" | tr '|' '/' || echo "see $log") |"
  fi
}

status=0
for ch in $channels_list; do
  for fr in $frames_list; do
    for n in $clients_list; do
      row "$ch" "$fr" "$n" 0 || { status=1; break 3; }
    done
    for spec in $stalled_list; do
      row "$ch" "$fr" "${spec%%:*}" "${spec##*:}" || { status=1; break 3; }
    done
  done
done

echo
echo "Full reports (one per row, with a JSON line each): $log_dir" >&2
echo "The runtime is left at the last row's config." >&2
exit "$status"
