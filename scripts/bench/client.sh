#!/usr/bin/env bash
# Per-job client cost: the same hello.c job, through the same stock distccd on loopback, sent by the stock
# distcc 3.4 client and by ours. Client CPU is user+sys of the client process and its children (cpp included).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); source "$here/lib.sh"; source "$here/servers.sh"
n=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 5 || echo 30)
work=$(mktemp -d); cp "$here/fixtures/hello.c" "$work/"; cd "$work"
export DISTCC_DIR=$work/.distcc TMPDIR=$work; mkdir -p "$DISTCC_DIR"
start_stock_distccd 4
export DISTCC_HOSTS="127.0.0.1:$STOCK_PORT"
root=$(cd "$here/../.." && pwd)
read -r lw lc < <(measure "$n" gcc -c hello.c -o local.o)
read -r ew ec < <(measure "$n" gcc -E hello.c -o hello.i)
read -r sw sc < <(measure "$n" /usr/bin/distcc gcc -c hello.c -o stock.o)
read -r ow oc < <(measure "$n" "$root/dist/bin/distcc" gcc -c hello.c -o ours.o)
cmp stock.o ours.o >/dev/null || echo "warning: objects differ" >&2
stop_servers
so=$(awk -v a="$sc" -v b="$ec" 'BEGIN{printf "%.2f", a-b}'); oo=$(awk -v a="$oc" -v b="$ec" 'BEGIN{printf "%.2f", a-b}')
cat <<MD
## Per-job client cost (\`scripts/bench/client.sh\`, $n sequential jobs of hello.c, one stock distccd on loopback)

| client | wall ms/job | client CPU ms/job | CPU over \`gcc -E\` |
|---|---|---|---|
| local \`gcc -c\` (reference) | $lw | $lc | |
| \`gcc -E\` alone (reference) | $ew | $ec | |
| distcc 3.4 | $sw | $sc | $so |
| jdistcc | $ow | $oc | $oo |
| **ratio jdistcc / distcc 3.4** | $(ratio "$ow" "$sw") | $(ratio "$oc" "$sc") | $(ratio "$oo" "$so") |
MD
