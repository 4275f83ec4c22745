#!/usr/bin/env bash
# Hot deploy (issue 7): from a plugin jar moved into plugins/ to its first buffer, over several
# runs against a runtime started with bin/earshot. Needs the built distribution
# (mvn -B -DskipTests install).
#
#   benchmarks/run-hotdeploy.sh [--runs N]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" HotDeployBenchIT "runs=10" \
  '/^HOTDEPLOY|Tests run:.*HotDeploy/p' "$@"
