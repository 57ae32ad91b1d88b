#!/usr/bin/env bash
# Toolchain shipping (issue 3): time to package a compiler, bundle size, and fetch + verify + unpack +
# sandbox test-run from a hub on loopback, for gcc (and clang when installed). Compare: icecream's
# icecc-create-env takes 8-11 s for the same gcc on this kind of machine (reference toolchain-shipping.md §4.1).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
echo "## Toolchain shipping (\`scripts/bench/toolchain.sh\`, i.e. \`scripts/bench-toolchain\`)"
echo
echo "icecream's \`icecc-create-env\` takes 8-11 s to package the same gcc 12 on this kind of machine (reference measurement)."
echo
echo '```'
"$root/scripts/bench-toolchain" 2>&1 | grep -v '^WARNING' | sed -n '1,60p'
echo '```'
echo
bash "$root/scripts/bench/volunteer-start.sh"
