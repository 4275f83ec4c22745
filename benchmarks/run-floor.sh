#!/usr/bin/env bash
# The floor of issue 17: the same fan-out load (FanoutLoad) against an Earshot runtime and against
# FloorServer, the leanest fan-out (started here), interleaved (Earshot, floor, Earshot, floor, ...)
# for N passes per row; prints one markdown table: each server's CPU and the ratio Earshot / floor,
# with both servers' delivery. See README.md, section "A floor: the leanest fan-out (issue 17)".
#
#   benchmarks/run-floor.sh --pid PID --token TOKEN [--url ws://127.0.0.1:7320/ws/audio] [--jar JAR]
#   benchmarks/run-floor.sh --earshot DIR [--port 7320] [--jar JAR]
#       (--earshot: starts DIR/bin/earshot --port PORT itself and stops it at the end)
#
# Environment (defaults in brackets):
#   FLOOR_ROWS              rows, each CHANNELSxFRAMESxCLIENTS or CHANNELSxFRAMESxCLIENTS+STALLED
#                           [6x4096x100 6x4096x200 6x4096x500 6x256x200 48x4096x100: issue 17's cases]
#   FLOOR_PASSES            passes per row, each an Earshot run then a floor run [3]
#   FLOOR_RATE              sample rate [48000]
#   FLOOR_WARMUP            warm-up seconds per run [10]
#   FLOOR_FIRST_WARMUP      warm-up of each server's first run, while its JIT compiles [60]
#   FLOOR_SECONDS           measured seconds per run [30]
#   FLOOR_SEND_THREADS      the floor's send threads [1]
#   FLOOR_PORT              the floor's port [7330]
#   FLOOR_SERVER_JAVA_OPTS  the floor's JVM options [-Xms16m -Xmx128m -XX:+UseSerialGC]
#   FLOOR_JAVA_OPTS         the load tool's JVM options [-Xms64m -Xmx1g]
#   FLOOR_LOG_DIR           where each run's full report goes [a new temporary directory]
# Smoke run:  FLOOR_ROWS=6x256x50 FLOOR_PASSES=2 FLOOR_FIRST_WARMUP=3 FLOOR_WARMUP=2 FLOOR_SECONDS=5 benchmarks/run-floor.sh ...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pid=""
token=""
url="ws://127.0.0.1:7320/ws/audio"
jar="$here/target/earshot-fanout.jar"
earshot_dir=""
earshot_port=7320

usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --pid) pid="${2:?--pid needs a value}"; shift 2 ;;
    --token) token="${2:?--token needs a value}"; shift 2 ;;
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --jar) jar="${2:?--jar needs a value}"; shift 2 ;;
    --earshot) earshot_dir="${2:?--earshot needs a folder}"; shift 2 ;;
    --port) earshot_port="${2:?--port needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-floor: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

[ -f "$jar" ] || { echo "run-floor: $jar not found; build it: mvn -B -f benchmarks/pom.xml package" >&2; exit 2; }
if [ -z "$earshot_dir" ]; then
  [ -n "$pid" ] || { echo "run-floor: --pid of the running runtime is required (or --earshot DIR)" >&2; exit 2; }
  [ -n "$token" ] || { echo "run-floor: --token is required (configs are switched through /ws/config)" >&2; exit 2; }
  kill -0 "$pid" 2>/dev/null || { echo "run-floor: no process $pid" >&2; exit 2; }
else
  [ -x "$earshot_dir/bin/earshot" ] || { echo "run-floor: no $earshot_dir/bin/earshot" >&2; exit 2; }
fi

rows="${FLOOR_ROWS:-6x4096x100 6x4096x200 6x4096x500 6x256x200 48x4096x100}"
passes="${FLOOR_PASSES:-3}"
rate="${FLOOR_RATE:-48000}"
warmup="${FLOOR_WARMUP:-10}"
first_warmup="${FLOOR_FIRST_WARMUP:-60}"
seconds="${FLOOR_SECONDS:-30}"
send_threads="${FLOOR_SEND_THREADS:-1}"
floor_port="${FLOOR_PORT:-7330}"
read -r -a floor_opts <<< "${FLOOR_SERVER_JAVA_OPTS:--Xms16m -Xmx128m -XX:+UseSerialGC}"
read -r -a java_opts <<< "${FLOOR_JAVA_OPTS:--Xms64m -Xmx1g}"
log_dir="${FLOOR_LOG_DIR:-$(mktemp -d -t earshot-floor.XXXXXX)}"
mkdir -p "$log_dir"
runs="$log_dir/runs.tsv"
: > "$runs"

for spec in $rows; do
  [[ "$spec" =~ ^[0-9]+x[0-9]+x[0-9]+(\+[0-9]+)?$ ]] || { echo "run-floor: bad row '$spec' in FLOOR_ROWS (CHxFRAMESxCLIENTS[+STALLED])" >&2; exit 2; }
done

floor_pid=""
started_earshot=""
stop() {
  if [ -n "$floor_pid" ] && kill -0 "$floor_pid" 2>/dev/null; then
    kill "$floor_pid" 2>/dev/null || true
    wait "$floor_pid" 2>/dev/null || true
  fi
  if [ -n "$started_earshot" ] && kill -0 "$started_earshot" 2>/dev/null; then
    kill "$started_earshot" 2>/dev/null || true
    wait "$started_earshot" 2>/dev/null || true
  fi
}
trap stop EXIT

# GET PATH on 127.0.0.1:PORT with plain bash; prints the body, fails unless the status is 200
http_get() (
  port="$1" path="$2" line="" status=""
  exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
  IFS= read -r line <&3 || true
  status="$(echo "$line" | cut -d' ' -f2)"
  while IFS= read -r line <&3 && [ "${line%$'\r'}" != "" ]; do :; done
  cat <&3
  exec 3<&-
  [ "$status" = "200" ]
)

if [ -n "$earshot_dir" ]; then
  earshot_dir="$(cd "$earshot_dir" && pwd)"
  "$earshot_dir/bin/earshot" --port "$earshot_port" < /dev/null > "$log_dir/earshot.log" 2>&1 &
  started_earshot=$!
  pid=$started_earshot
  url="ws://127.0.0.1:$earshot_port/ws/audio"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { echo "run-floor: Earshot ended at its start; see $log_dir/earshot.log" >&2; exit 1; }
    if [ -s "$earshot_dir/data/token" ] && http_get "$earshot_port" /api/status > /dev/null 2>&1; then break; fi
    sleep 0.5
  done
  token="$(cat "$earshot_dir/data/token")"
fi

floor_token_file="$log_dir/floor-token"
od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$floor_token_file"
first_row="${rows%% *}"
IFS='x+' read -r fch ffr _ <<< "$first_row"
java "${floor_opts[@]}" -cp "$jar" io.earshot.bench.FloorServer --port "$floor_port" --token-file "$floor_token_file" \
  --rate "$rate" --channels "$fch" --frames "$ffr" --send-threads "$send_threads" < /dev/null > "$log_dir/floor.log" 2>&1 &
floor_pid=$!
for _ in $(seq 1 100); do
  grep -q '^floor: listening' "$log_dir/floor.log" 2>/dev/null && break
  kill -0 "$floor_pid" 2>/dev/null || { echo "run-floor: the floor server ended at its start:" >&2; cat "$log_dir/floor.log" >&2; exit 1; }
  sleep 0.1
done
floor_token="$(cat "$floor_token_file")"
floor_url="ws://127.0.0.1:$floor_port/ws/audio"

echo "Earshot / floor: Earshot pid $pid ($url), floor pid $floor_pid ($floor_url, $send_threads send thread(s), JVM ${floor_opts[*]}),"
echo "rate $rate, $passes pass(es) per row (Earshot then floor), warm-up ${warmup} s (first run of each ${first_warmup} s), window ${seconds} s, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo

first_earshot=1
first_floor=1
status=0
one() {   # index channels frames clients stalled server pass
  local i="$1" ch="$2" fr="$3" n="$4" k="$5" server="$6" pass="$7" w="$warmup" log rc target_url target_token target_pid
  if [ "$server" = earshot ]; then
    target_url="$url"; target_token="$token"; target_pid="$pid"
    if [ "$first_earshot" = 1 ]; then w="$first_warmup"; first_earshot=0; fi
  else
    target_url="$floor_url"; target_token="$floor_token"; target_pid="$floor_pid"
    if [ "$first_floor" = 1 ]; then w="$first_warmup"; first_floor=0; fi
  fi
  if ! kill -0 "$target_pid" 2>/dev/null; then
    echo "run-floor: $server (pid $target_pid) is gone" >&2
    return 1
  fi
  log="r$i-${ch}x${fr}x${n}+${k}-$server-p$pass.txt"
  set +e
  java "${java_opts[@]}" -jar "$jar" --url "$target_url" --token "$target_token" --pid "$target_pid" \
    --clients "$n" --stalled "$k" --config "$rate,$ch,$fr" --warmup "$w" --seconds "$seconds" --json > "$log_dir/$log" 2>&1
  rc=$?
  set -e
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$ch" "$fr" "$n" "$k" "$server" "$pass" "$log" >> "$runs"
  local cpu
  cpu="$(grep -o '"runtime_cpu_pct":[0-9.]*' "$log_dir/$log" | cut -d: -f2 || true)"
  echo "  ${ch}x${fr}x${n}+${k} pass $pass $server: CPU ${cpu:-?}% (exit $rc)" >&2
  if [ "$server" = floor ]; then
    http_get "$floor_port" "/stats?token=$floor_token" > "$log_dir/${log%.txt}-stats.json" 2>/dev/null || true
  fi
}

i=0
for spec in $rows; do
  i=$((i + 1))
  IFS='x+' read -r ch fr n k <<< "$spec"
  k="${k:-0}"
  for pass in $(seq 1 "$passes"); do
    one "$i" "$ch" "$fr" "$n" "$k" earshot "$pass" || { status=1; break 2; }
    one "$i" "$ch" "$fr" "$n" "$k" floor "$pass" || { status=1; break 2; }
  done
done

java -cp "$jar" io.earshot.bench.FloorTable "$runs"
echo
last_stats="$(ls -t "$log_dir"/*-stats.json 2>/dev/null | head -n 1 || true)"
[ -n "$last_stats" ] && echo "The floor's counters after its last run: $(cat "$last_stats")"
echo "Full reports (one per run, with a JSON line each): $log_dir" >&2
exit "$status"
