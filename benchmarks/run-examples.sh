#!/usr/bin/env bash
# What each example plugin costs (issue 7): CPU of each plugin's own thread at 48 kHz, 4096
# frames, 6 and 48 channels, DOA with SRP-PHAT and MUSIC. Needs the built distribution and
# examples (mvn -B -DskipTests install).
#
#   benchmarks/run-examples.sh [--seconds S]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" ExamplesBenchIT "seconds=20" \
  '/^EXAMPLES|Tests run:.*ExamplesBench/p' "$@"
