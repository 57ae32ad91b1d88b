#!/usr/bin/env bash
# Per-job client cost: the same hello.c job, through the same stock distccd on loopback, sent by the stock
# distcc 3.4 client and by ours: the plain JVM client (bin/distcc, a JVM per job) and the native launcher
# (bin/distcc-fast) handing jobs to a warm resident hub (bin/jdistcc-hub). Client CPU is user+sys of the
# client process and its children (cpp included); for the launcher it adds the hub's own CPU and that of the
# children it reaped (cpp), read from /proc/<hub>/stat before and after the loop.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); source "$here/lib.sh"; source "$here/servers.sh"
n=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 5 || echo 30)
warm=${BENCH_WARM:-$([ "${BENCH_QUICK:-0}" = 1 ] && echo 50 || echo 300)}
work=$(mktemp -d); chmod 1777 "$work"   # distccd (dropping root to its own user) works in it too
cp "$here/fixtures/hello.c" "$work/"; cd "$work"
export DISTCC_DIR=$work/.distcc TMPDIR=$work; mkdir -p "$DISTCC_DIR"
start_stock_distccd 4
export DISTCC_HOSTS="127.0.0.1:$STOCK_PORT"
root=$(cd "$here/../.." && pwd)
read -r lw lc < <(measure "$n" gcc -c hello.c -o local.o)
read -r ew ec < <(measure "$n" gcc -E hello.c -o hello.i)
read -r sw sc < <(measure "$n" /usr/bin/distcc gcc -c hello.c -o stock.o)
read -r ow oc < <(measure "$n" "$root/dist/bin/distcc" gcc -c hello.c -o ours.o)

# The resident path, warm: a hub of our own on a private socket, warmed up with $warm jobs first.
export JDISTCC_HUB_SOCKET=$work/hub/hub.sock
"$root/dist/bin/jdistcc-hub" serve --on-demand --no-http --socket "$JDISTCC_HUB_SOCKET" > "$work/hub.log" 2>&1 &
HUB_PID=$!
trap 'kill "$HUB_PID" 2>/dev/null || true; stop_servers' EXIT
for _ in $(seq 300); do [ -S "$JDISTCC_HUB_SOCKET" ] && break; sleep 0.1; done
[ -S "$JDISTCC_HUB_SOCKET" ] || { echo "the hub did not start:" >&2; cat "$work/hub.log" >&2; exit 1; }
for ((i = 0; i < warm; i++)); do "$root/dist/bin/distcc-fast" gcc -c hello.c -o fast.o >/dev/null 2>&1; done
hub_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$HUB_PID/stat"; }
h0=$(hub_ms)
read -r fw fc < <(measure "$n" "$root/dist/bin/distcc-fast" gcc -c hello.c -o fast.o)
h1=$(hub_ms)
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
hc=$(awk -v a="$h0" -v b="$h1" -v n="$n" 'BEGIN{printf "%.2f", (b-a)/n}')
tc=$(awk -v a="$fc" -v b="$hc" 'BEGIN{printf "%.2f", a+b}')
cmp stock.o ours.o >/dev/null || echo "warning: objects differ" >&2
cmp stock.o fast.o >/dev/null || echo "warning: objects differ (resident)" >&2
stop_servers
over() { awk -v a="$1" -v b="$ec" 'BEGIN{printf "%.2f", a-b}'; }
so=$(over "$sc"); oo=$(over "$oc"); to=$(over "$tc")
cat <<MD
## Per-job client cost (\`scripts/bench/client.sh\`, $n sequential jobs of hello.c, one stock distccd on loopback)

| client | wall ms/job | client CPU ms/job | CPU over \`gcc -E\` |
|---|---|---|---|
| local \`gcc -c\` (reference) | $lw | $lc | |
| \`gcc -E\` alone (reference) | $ew | $ec | |
| distcc 3.4 | $sw | $sc | $so |
| jdistcc, plain JVM client (\`bin/distcc\`) | $ow | $oc | $oo |
| jdistcc, native launcher + warm resident hub (\`bin/distcc-fast\`; launcher $fc + hub $hc) | $fw | $tc | $to |
| **ratio plain JVM client / distcc 3.4** | $(ratio "$ow" "$sw") | $(ratio "$oc" "$sc") | $(ratio "$oo" "$so") |
| **ratio launcher + hub / distcc 3.4** | $(ratio "$fw" "$sw") | $(ratio "$tc" "$sc") | $(ratio "$to" "$so") |

The hub was warmed up with $warm jobs first; its CPU (own + reaped children such as cpp) is read from
/proc/<pid>/stat around the measured loop, in clock ticks of $((1000 / $(getconf CLK_TCK))) ms.
MD
