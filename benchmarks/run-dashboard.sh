#!/usr/bin/env bash
# The dashboard benchmark (issue 6): a plugin drives five charts at 20 updates/s each; ten
# browser sessions on /ws/ui count what reaches them while the runtime's CPU is read, then a
# headless Chromium shows the five charts at once and reports its own frame times.
# Needs the built distribution (mvn -B -DskipTests install) and chromium + chromium-driver.
#
#   benchmarks/run-dashboard.sh [--sessions N] [--seconds S] [--runs R]
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/bench-it.sh" "${BASH_SOURCE[0]}" DashboardBenchIT "sessions=10 seconds=20 runs=3" \
  '/^DASHBOARD/,/^\[INFO\] Tests run/p' "$@"
