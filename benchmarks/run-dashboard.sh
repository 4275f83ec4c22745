#!/usr/bin/env bash
# The dashboard benchmark (issue 6): a plugin drives five charts at 20 updates/s each; ten
# browser sessions on /ws/ui count what reaches them while the runtime's CPU is read, then a
# headless Chromium shows the five charts at once and reports its own frame times.
# Needs the built distribution (mvn -B -DskipTests install) and chromium + chromium-driver.
#
#   benchmarks/run-dashboard.sh [--sessions N] [--seconds S] [--runs R]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sessions=10; seconds=20; runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-dashboard: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
cd "$here/.."
mvn -B verify -pl itests -Dit.test=DashboardBenchIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dearshot.bench=true -Dearshot.bench.sessions="$sessions" -Dearshot.bench.seconds="$seconds" \
  -Dearshot.bench.runs="$runs" | sed -n '/^DASHBOARD/,/^\[INFO\] Tests run/p'
