#!/usr/bin/env bash
# Several streams (issue 20): four streams of 6 ch x 48 kHz in one runtime (two simulated, two
# remote from a board runtime) with the doa example on each: the runtime's CPU and every stream's
# delivery (what=cost); the fusion example on the shipped simulated room, its position error
# against the room's truth with three arrays and with two (what=room). Needs the built
# distribution and examples (mvn -B -DskipTests install).
#
#   benchmarks/run-streams.sh [--what cost,room] [--seconds S] [--runs N] [--roomSeconds S]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" StreamsBenchIT "what=cost,room seconds=20 runs=3 roomSeconds=60" \
  '/^STREAMS|Tests run:.*StreamsBench/p' "$@"
