#!/usr/bin/env bash
# What Talk costs (issue 16): N browser talkers at 16 kHz at once over /ws/ingest, the hub on the
# browser source (so each talk is saved and mixed into the stream): the runtime's CPU with no
# talker and with N, and the delay from a talker's send to its samples in the file. Needs the
# built distribution (mvn -B -DskipTests install).
#
#   benchmarks/run-talk.sh [--seconds S] [--runs N] [--talkers T] [--chunkMs MS]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" TalkBenchIT "seconds=30 runs=3 talkers=20 chunkMs=40" \
  '/^TALK|Tests run:.*TalkBench/p' "$@"
