#!/usr/bin/env bash
# What recording to disk costs (issue 16): CPU of the recorder's threads, bytes per second and
# buffers lost while a 48-channel, 48 kHz stream is recorded into data/recordings. Needs the
# built distribution (mvn -B -DskipTests install).
#
#   benchmarks/run-recordings.sh [--seconds S] [--runs N] [--channels C]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" RecordingsBenchIT "seconds=60 runs=3 channels=48" \
  '/^RECORDINGS|Tests run:.*RecordingsBench/p' "$@"
