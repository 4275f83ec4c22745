#!/usr/bin/env bash
# Config flood (issue 15): {"rate":..} changes on /ws/config (1000 a second for 3 s by default, with
# the token) while an audio client listens and a new one connects in each second, against a runtime
# started with bin/earshot; repeated, with the medians at the end. Needs the built distribution
# (mvn -B -DskipTests install).
#
#   benchmarks/run-config-flood.sh [--runs N] [--rate CHANGES_PER_SECOND] [--seconds S]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" ConfigFloodIT "runs=5 rate=1000 seconds=3" \
  '/^CONFIGFLOOD|Tests run:.*ConfigFlood/p' "$@"
