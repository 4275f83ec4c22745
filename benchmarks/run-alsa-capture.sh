#!/usr/bin/env bash
# CPU of the runtime's capture thread per second of audio, capturing through ALSA (issue 5).
# Starts its own JACK server (dummy backend, real-time paced) and its own runtime on the ALSA
# source, 8 channels at 48 kHz, then reads the capture thread's CPU time (schedstat, ns) over
# several windows. Stops both at the end. Needs jackd2 and libasound2-plugins.
#
#   benchmarks/run-alsa-capture.sh [--runs N] [--seconds S] [--frames F] [--port P]
#
# Prints one line per window and the median, in % of one core (= ms of CPU per s of audio / 10).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dist="$here/../distribution/target/earshot"
runs=5
seconds=20
frames=4096
port=7390
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --frames) frames="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-alsa-capture: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$dist/bin/earshot" ] || { echo "run-alsa-capture: build first: mvn -B -DskipTests install" >&2; exit 2; }
command -v jackd >/dev/null || { echo "run-alsa-capture: jackd not found (apt-get install jackd2 libasound2-plugins)" >&2; exit 2; }

work="$(mktemp -d)"
export JACK_DEFAULT_SERVER="earshot-bench-$$" JACK_NO_START_SERVER=1 JACK_NO_AUDIO_RESERVATION=1
jack_pid=""
runtime_pid=""
cleanup() {
  [ -n "$runtime_pid" ] && kill "$runtime_pid" 2>/dev/null && wait "$runtime_pid" 2>/dev/null || true
  [ -n "$jack_pid" ] && kill "$jack_pid" 2>/dev/null && wait "$jack_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

jackd --no-realtime -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 1024 -C 8 -P 8 >"$work/jackd.log" 2>&1 </dev/null &
jack_pid=$!
jack_wait -w -t 10 >/dev/null 2>&1

# 8 JACK ports as an S16_LE device of fixed rate and channel count, as a USB array would be
ports=""
for i in 0 1 2 3 4 5 6 7; do ports="$ports $i system:capture_$((i + 1))"; done
cat >"$work/asound.conf" <<CONF
pcm.bench_jack8 { type jack capture_ports {$ports } }
pcm.bench_array { type lfloat slave { pcm "bench_jack8" format FLOAT_LE } }
CONF
mkdir -p "$work/conf"
printf 'source=alsa\nrate=48000\nchannels=8\nbuffer_frames=%s\nvolume=100\n' "$frames" >"$work/conf/io.earshot.hub.cfg"
printf 'device=bench_array\nconfigFile=%s\n' "$work/asound.conf" >"$work/conf/io.earshot.source.alsa.cfg"

cp -r "$dist" "$work/earshot"
"$work/earshot/bin/earshot" --port "$port" --conf "$work/conf" </dev/null >"$work/earshot.log" 2>&1 &
runtime_pid=$!

capture_tid() {
  for task in /proc/"$runtime_pid"/task/*; do
    [ "$(cat "$task/comm" 2>/dev/null)" = "earshot-capture" ] && { basename "$task"; return; }
  done
}
status() { curl -s "http://127.0.0.1:$port/api/status"; }
for _ in $(seq 1 60); do
  state=$(status | python3 -c 'import json,sys; d=json.load(sys.stdin)["stream"]; print(d["source"]["id"], d["capture"]["state"], d["config"]["channels"])' 2>/dev/null || true)
  [ "$state" = "alsa running 8" ] && break
  sleep 0.5
done
[ "$state" = "alsa running 8" ] || { echo "run-alsa-capture: the runtime did not capture from ALSA: $state" >&2; tail -20 "$work/earshot.log" >&2; exit 1; }
tid=$(capture_tid)
[ -n "$tid" ] || { echo "run-alsa-capture: no thread named earshot-capture" >&2; exit 1; }
sleep 5 # JIT warm-up

buffers() { status | python3 -c 'import json,sys; print(json.load(sys.stdin)["stream"]["capture"]["buffers"])'; }
results=()
for run in $(seq 1 "$runs"); do
  cpu0=$(cut -d' ' -f1 "/proc/$runtime_pid/task/$tid/schedstat"); b0=$(buffers); t0=$(date +%s%N)
  sleep "$seconds"
  cpu1=$(cut -d' ' -f1 "/proc/$runtime_pid/task/$tid/schedstat"); b1=$(buffers); t1=$(date +%s%N)
  line=$(python3 -c "
cpu=($cpu1-$cpu0)/1e9; wall=($t1-$t0)/1e9; audio=($b1-$b0)*$frames/48000
print(f'{100*cpu/audio:.3f} {cpu*1000:.1f} {audio:.2f} {wall:.2f}')")
  set -- $line
  echo "window $run: capture thread ${2} ms CPU for ${3} s of audio (${4} s wall): ${1}% of one core"
  results+=("$1")
done
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
overruns=$(status | python3 -c 'import json,sys; print(json.load(sys.stdin)["stream"]["source"]["capture"]["overruns"])')
echo "median over $runs windows: ${median}% of one core (8 channels, 48 kHz, buffer_frames $frames, overruns $overruns)"
