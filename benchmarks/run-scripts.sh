#!/usr/bin/env bash
# Scripts (issue 8): from a script sent to /ws/scripts (as the editor sends it) to its first buffer,
# over several runs against a runtime started with bin/earshot. Needs the built distribution
# (mvn -B -DskipTests install).
#
#   benchmarks/run-scripts.sh [--runs N]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" ScriptRunBenchIT "runs=10" \
  '/^SCRIPTS|Tests run:.*ScriptRun/p' "$@"
