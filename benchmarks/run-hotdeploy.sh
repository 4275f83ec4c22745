#!/usr/bin/env bash
# Hot deploy (issue 7): from a plugin jar moved into plugins/ to its first buffer, over several
# runs against a runtime started with bin/earshot. Needs the built distribution
# (mvn -B -DskipTests install).
#
#   benchmarks/run-hotdeploy.sh [--runs N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-hotdeploy: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
cd "$here/.."
mvn -B verify -pl itests -Dit.test=HotDeployBenchIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dearshot.bench=true -Dearshot.bench.runs="$runs" | grep -E '^HOTDEPLOY|Tests run:.*HotDeploy'
