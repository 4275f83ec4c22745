#!/usr/bin/env bash
# What serving playback devices costs (issue 18): N devices (the reference client) listening
# to channel 0 of the live stream over gRPC: the runtime's CPU against none, the devices
# listener's thread (one Opus encoder for all of them, and the sends), the encoder's CPU per
# packet, packets per second per device and the latency from capture to packet sent. Needs
# the built distribution (mvn -B -DskipTests install).
#
#   benchmarks/run-devices.sh [--devices N] [--seconds S] [--runs R]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" DevicesBenchIT "devices=50 seconds=20 runs=3" \
  '/^DEVICES|Tests run:.*DevicesBench/p' "$@"
