#!/usr/bin/env bash
# Runs one of itests' benchmark ITs (-Dearshot.bench=true) against the built distribution; the
# run-*.sh wrappers call it with their class, options and the lines of Maven's output to print.
#
#   benchmarks/bench-it.sh CALLER CLASS "OPTION=DEFAULT ..." SED-SCRIPT [--OPTION VALUE ...]
#
# Each --OPTION VALUE becomes -Dearshot.bench.OPTION=VALUE; -h prints CALLER's header comment;
# SED-SCRIPT (sed -nE) picks the lines to print.
set -euo pipefail
caller="$1" class="$2" options="$3" lines="$4"
shift 4
name="$(basename "$caller" .sh)"
declare -A values
for option in $options; do values[${option%%=*}]="${option#*=}"; done
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set -/p' "$caller" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*)
      key="${1#--}"
      [ -n "${values[$key]+set}" ] || { echo "$name: unknown option '$1' (allowed: ${!values[*]})" >&2; exit 2; }
      [ $# -ge 2 ] || { echo "$name: '$1' needs a value" >&2; exit 2; }
      values[$key]="$2"; shift 2 ;;
    *) echo "$name: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
properties=()
for key in "${!values[@]}"; do properties+=("-Dearshot.bench.$key=${values[$key]}"); done
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B verify -pl itests -Dit.test="$class" -Dfailsafe.failIfNoSpecifiedTests=false -Dearshot.bench=true "${properties[@]}" \
  | sed -nE "$lines"
