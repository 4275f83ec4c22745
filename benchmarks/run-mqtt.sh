#!/usr/bin/env bash
# The MQTT benchmark (issue 21): a plugin drives eight charts at 20 updates/s each; the runtime's
# CPU is read with MQTT off, then publishing every update to a local Mosquitto (started by the
# test on a free port), where mosquitto_sub counts the messages that arrive.
# Needs the built distribution (mvn -B -DskipTests install), mosquitto and mosquitto-clients.
#
#   benchmarks/run-mqtt.sh [--seconds S] [--runs R]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" MqttBenchIT "seconds=20 runs=3" \
  '/^MQTT/,/^\[INFO\] Tests run/p' "$@"
