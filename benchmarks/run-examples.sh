#!/usr/bin/env bash
# What each example plugin costs (issue 7): CPU of each plugin's own thread at 48 kHz, 4096
# frames, 6 and 48 channels, DOA with SRP-PHAT and MUSIC. Needs the built distribution and
# examples (mvn -B -DskipTests install).
#
#   benchmarks/run-examples.sh [--seconds S]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-examples: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
cd "$here/.."
mvn -B verify -pl itests -Dit.test=ExamplesBenchIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dearshot.bench=true -Dearshot.bench.seconds="$seconds" | grep -E '^EXAMPLES|Tests run:.*ExamplesBench'
