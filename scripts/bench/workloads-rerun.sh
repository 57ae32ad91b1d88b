#!/usr/bin/env bash
# A second run of part of the workloads (scripts/bench/workloads.sh with the arguments in BENCH_RERUN, e.g.
# BENCH_RERUN="--workloads ext4 --settings killed"), written to its own section so the full run stays as it
# was: for checking whether a figure of the full run repeats. Usage: BENCH_RERUN="..." scripts/benchmark workloads-rerun
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -n "${BENCH_RERUN:-}" ] || { echo "set BENCH_RERUN to workloads.sh's arguments, e.g. \"--workloads ext4 --settings killed\"" >&2; exit 2; }
read -r -a args <<< "$BENCH_RERUN"
echo "## Rerun: \`BENCH_RERUN=\"$BENCH_RERUN\" scripts/benchmark workloads-rerun\`"
echo
echo "The same harness as the section above, run again for part of it, later the same day."
echo
bash "$here/workloads.sh" "${args[@]}" | sed '1{/^## /d}'
