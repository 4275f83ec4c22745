#!/usr/bin/env bash
# Scripts (issue 8): from a script sent to /ws/scripts (as the editor sends it) to its first buffer, over several
# runs against a runtime started with bin/earshot. Needs the built distribution
# (mvn -B -DskipTests install).
#
#   benchmarks/run-scripts.sh [--runs N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-scripts: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
cd "$here/.."
mvn -B verify -pl itests -Dit.test=ScriptRunBenchIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dearshot.bench=true -Dearshot.bench.runs="$runs" | grep -E '^SCRIPTS|Tests run:.*ScriptRun'
