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
read -r dw dc < <(measure "$n" gcc -E -fdirectives-only hello.c -o hello-partial.i)
read -r ow oc < <(measure "$n" "$root/dist/bin/distcc" gcc -c hello.c -o ours.o)

# The resident path, warm: a hub of our own on a private socket, warmed up with $warm jobs first. distcc 3.4
# and the launcher are measured in alternating blocks, so the shared machine's load drifts over both alike.
export JDISTCC_HUB_SOCKET=$work/hub/hub.sock
"$root/dist/bin/jdistcc-hub" serve --on-demand --no-http --socket "$JDISTCC_HUB_SOCKET" > "$work/hub.log" 2>&1 &
HUB_PID=$!
trap 'kill "$HUB_PID" 2>/dev/null || true; stop_servers' EXIT
for _ in $(seq 300); do [ -S "$JDISTCC_HUB_SOCKET" ] && break; sleep 0.1; done
[ -S "$JDISTCC_HUB_SOCKET" ] || { echo "the hub did not start:" >&2; cat "$work/hub.log" >&2; exit 1; }
for ((i = 0; i < warm; i++)); do "$root/dist/bin/distcc-fast" gcc -c hello.c -o fast.o >/dev/null 2>&1; done
hub_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$HUB_PID/stat"; }
blocks=$([ "$n" -ge 15 ] && echo 3 || echo 1); per=$((n / blocks)); n=$((per * blocks))
# The launcher twice per block: with its defaults (JDISTCC_CPP=auto, which gives this small file a full
# gcc -E) and with JDISTCC_CPP=partial (gcc -E -fdirectives-only forced), so its own overhead can be read
# against either cpp.
sw=0 sc=0 fw=0 fc=0 hub=0 xw=0 xc=0 xhub=0
add() { awk -v a="$1" -v b="$2" 'BEGIN{print a+b}'; }
for ((b = 0; b < blocks; b++)); do
  read -r w c < <(measure "$per" /usr/bin/distcc gcc -c hello.c -o stock.o)
  sw=$(add "$sw" "$w"); sc=$(add "$sc" "$c")
  h0=$(hub_ms)
  read -r w c < <(measure "$per" "$root/dist/bin/distcc-fast" gcc -c hello.c -o fast.o)
  h1=$(hub_ms)
  fw=$(add "$fw" "$w"); fc=$(add "$fc" "$c"); hub=$((hub + h1 - h0))
  read -r w c < <(JDISTCC_CPP=partial measure "$per" "$root/dist/bin/distcc-fast" gcc -c hello.c -o full.o)
  h2=$(hub_ms)
  xw=$(add "$xw" "$w"); xc=$(add "$xc" "$c"); xhub=$((xhub + h2 - h1))
done
avg() { awk -v a="$1" -v k="$blocks" 'BEGIN{printf "%.2f", a/k}'; }
sw=$(avg "$sw"); sc=$(avg "$sc"); fw=$(avg "$fw"); fc=$(avg "$fc"); xw=$(avg "$xw"); xc=$(avg "$xc")
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
hc=$(awk -v a="$hub" -v n="$n" 'BEGIN{printf "%.2f", a/n}')
tc=$(awk -v a="$fc" -v b="$hc" 'BEGIN{printf "%.2f", a+b}')
xhc=$(awk -v a="$xhub" -v n="$n" 'BEGIN{printf "%.2f", a/n}')
xtc=$(awk -v a="$xc" -v b="$xhc" 'BEGIN{printf "%.2f", a+b}')
cmp stock.o ours.o >/dev/null || echo "warning: objects differ" >&2
cmp stock.o fast.o >/dev/null || echo "warning: objects differ (resident)" >&2
cmp stock.o full.o >/dev/null || echo "warning: objects differ (resident, partial cpp)" >&2

# Scheduling: make -j4 over two volunteers, one of them slow (a proxy holds each reply back $delay ms, like a
# loaded or distant machine). distcc takes their slots breadth-first in list order; the hub measures both.
delay=${BENCH_SLOW_MS:-1000}; files=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 8 || echo 24)
rounds=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 1 || echo 4)
slow_port=$(free_port)
python3 - "$slow_port" "$STOCK_PORT" "$delay" > "$work/proxy.log" 2>&1 <<'PY' &
import socket, sys, threading, time
listen, target, delay = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000
def pipe(src, dst, hold):
    first = True
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            if hold and first:
                time.sleep(delay)
                first = False
            dst.sendall(b)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
def serve(c):
    u = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pipe, args=(c, u, False), daemon=True).start()
    pipe(u, c, True)
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(64)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
PROXY_PID=$!
trap 'kill "$HUB_PID" "$PROXY_PID" 2>/dev/null || true; stop_servers' EXIT
wait_port "$slow_port"
mkdir -p "$work/sched"; cd "$work/sched"
for ((i = 0; i < files; i++)); do
  printf '#include <stdio.h>\n#include <string.h>\nstatic int t%d[64];\nint f%d(const char *s) { for (int j = 0; j < 64; j++) t%d[j] = (int) strlen(s) * j + %d; return t%d[%d %% 64]; }\nvoid p%d(void) { printf("%%d\\n", f%d("x")); }\n' \
    "$i" "$i" "$i" "$i" "$i" "$i" "$i" "$i" > "f$i.c"
done
printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard f*.c))\nall: $(OBJS)\n%%.o: %%.c\n\t$(CC) -O2 -c $< -o $@\n' > Makefile
hosts="127.0.0.1:$slow_port/2 127.0.0.1:$STOCK_PORT/2"
build() {  # build NAME CC: wall ms of a clean make -j4
  rm -f ./*.o; mkdir -p "$work/$1"; local t0 t1; t0=$(date +%s%N)   # stock distcc needs DISTCC_DIR to exist
  DISTCC_DIR=$work/$1 DISTCC_HOSTS=$hosts make -s -j4 CC="$2" >/dev/null 2>&1 || { echo "build $1 failed" >&2; return 1; }
  t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 ))
}
export JDISTCC_HUB_SOCKET=$work/hub2/hub.sock
"$root/dist/bin/jdistcc-hub" serve --on-demand --no-http --socket "$JDISTCC_HUB_SOCKET" > "$work/hub2.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 300); do [ -S "$JDISTCC_HUB_SOCKET" ] && break; sleep 0.1; done
rw0=$(build resident-sched "$root/dist/bin/distcc-fast gcc")   # first build: the hub meets both volunteers
sched_s=(); sched_r=()
for ((r = 0; r < rounds; r++)); do   # interleaved, so the machine's load drifts over both alike
  sched_s+=("$(build stock-sched "/usr/bin/distcc gcc")"); sched_r+=("$(build resident-sched "$root/dist/bin/distcc-fast gcc")")
done
mean() { local t=0 x; for x in "$@"; do t=$((t + x)); done; echo $((t / $#)); }
mean_s=$(mean "${sched_s[@]}"); mean_r=$(mean "${sched_r[@]}")
kill "$HUB_PID" "$PROXY_PID" 2>/dev/null || true; wait "$HUB_PID" "$PROXY_PID" 2>/dev/null || true
cd "$work"
stop_servers
over() { awk -v a="$1" -v b="${2:-$ec}" 'BEGIN{printf "%.2f", a-b}'; }
so=$(over "$sc"); oo=$(over "$oc"); to=$(over "$tc"); xo=$(over "$xtc" "$dc")
cat <<MD
## Per-job client cost (\`scripts/bench/client.sh\`, $n sequential jobs of hello.c, one stock distccd on loopback)

| client | wall ms/job | client CPU ms/job | CPU over its cpp alone |
|---|---|---|---|
| local \`gcc -c\` (reference) | $lw | $lc | |
| \`gcc -E\` alone (reference) | $ew | $ec | |
| \`gcc -E -fdirectives-only\` alone (reference) | $dw | $dc | |
| distcc 3.4 (cpp: \`gcc -E\`) | $sw | $sc | $so |
| jdistcc, plain JVM client (\`bin/distcc\`; \`gcc -E\`) | $ow | $oc | $oo |
| jdistcc, native launcher + warm resident hub (\`bin/distcc-fast\`, defaults: a full \`gcc -E\` for this small file; launcher $fc + hub $hc) | $fw | $tc | $to |
| jdistcc, the same with \`JDISTCC_CPP=partial\` (\`gcc -E -fdirectives-only\` forced; launcher $xc + hub $xhc) | $xw | $xtc | $xo |
| **ratio plain JVM client / distcc 3.4** | $(ratio "$ow" "$sw") | $(ratio "$oc" "$sc") | $(ratio "$oo" "$so") |
| **ratio launcher + hub / distcc 3.4** | $(ratio "$fw" "$sw") | $(ratio "$tc" "$sc") | $(ratio "$to" "$so") |
| **ratio launcher + hub, partial cpp forced / distcc 3.4** | $(ratio "$xw" "$sw") | $(ratio "$xtc" "$sc") | $(ratio "$xo" "$so") |

The hub was warmed up with $warm jobs first; distcc 3.4, the launcher and the launcher with a partial cpp ran in
$blocks alternating blocks of $per jobs. The hub's CPU (own + reaped children such as cpp) is read from
/proc/<pid>/stat around each block of the launcher, in clock ticks of $((1000 / $(getconf CLK_TCK))) ms.
"Over its cpp" subtracts the cpp that client runs (\`gcc -E\`, or \`gcc -E -fdirectives-only\` for the partial
cpp): the client's own work per job. On a file this small the partial cpp saves nothing (its output is twice the
full one's), which is why the default keeps the full one for it (client/README.md, "Partial preprocessing").

### Scheduling: \`make -j4\` of $files C files over a fast and a slow volunteer

The same stock distccd twice in \`DISTCC_HOSTS=slow/2 fast/2\`, the slow one behind a proxy that holds every
reply back ${delay} ms (a loaded or distant machine). Wall ms per clean build; the hub keeps what it measured
between builds.

| client | first build | builds (interleaved) | mean |
|---|---|---|---|
| distcc 3.4 | | ${sched_s[*]} | $mean_s |
| launcher + hub | $rw0 (hub meets the volunteers) | ${sched_r[*]} | $mean_r |
| **ratio launcher + hub / distcc 3.4** | | | $(ratio "$mean_r" "$mean_s") |
MD
