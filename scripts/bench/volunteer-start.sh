#!/usr/bin/env bash
# First-job latency of a volunteer (issue 3): a hub on loopback packages gcc (and the aarch64 cross gcc), then
#   cold      : a fresh `distccd --hub --trust` with an empty --toolchain-cache: start -> ready (fetch, verify,
#               unpack, sandbox test-run) -> first object (stock distcc 3.4 client, by compiler name);
#   warm      : the same volunteer restarted on its filled cache;
#   per job   : median of N sequential jobs to the warm volunteer (sandboxed bundle), next to a stock
#               distccd 3.4 on the same machine (host compiler, no sandbox);
#   on demand : a volunteer whose cache budget is below the manifest's total (so it fetches nothing at start)
#               gets a job from our client naming the gcc toolchain (TOOL/TSRC, `,lz4` host): first job vs the
#               next ones.
# Prints a markdown table on stdout, progress on stderr. Needs dist/ (scripts/benchmark builds it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); source "$here/lib.sh"
root=$(cd "$here/../.." && pwd)
n=$([ "${BENCH_QUICK:-0}" = 1 ] && echo 5 || echo 15)
work=$(mktemp -d); chmod 0755 "$work"   # the volunteer's compiler user must reach the cache below it
SRV_DIR=$work; source "$here/servers.sh"
cp "$here/fixtures/hello.c" "$work/"
mkdir -p "$work/tmp"; chmod 1777 "$work/tmp"
HUB_PID=; VOL_PID=
cleanup() {
  for p in $VOL_PID $HUB_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# The hub: resident part (writes the toolchain index next to its socket) and HTTP on an ephemeral port.
sock=$work/sock/hub.sock
"$root/dist/bin/jdistcc-hub" serve --state "$work/hub" --port 0 --socket "$sock" --compiler gcc \
  --compiler aarch64-linux-gnu-gcc > "$work/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1200); do grep -q "manifest published with 2" "$work/hub.log" 2>/dev/null && break; sleep 0.25; done
grep -q "manifest published with 2" "$work/hub.log" || { echo "the hub did not publish:" >&2; cat "$work/hub.log" >&2; exit 1; }
url=$(sed -n 's/^jdistcc-hub serving at //p' "$work/hub.log" | head -1)
key=$(sed -n 's/^volunteers trust: //p' "$work/hub.log" | head -1)
for _ in $(seq 100); do [ -s "$work/sock/toolchains" ] && break; sleep 0.1; done
echo "hub at $url" >&2

# start_volunteer CACHE [BUDGET]: starts distccd --hub in the background (VOL_PID, VOL_PORT, VOL_T0).
start_volunteer() {
  VOL_PORT=$(free_port); rm -f "$work/ready"
  VOL_N=$((${VOL_N:-0} + 1)); VOL_LOG=$work/volunteer-$VOL_N.log
  VOL_T0=$(now_ms)
  TMPDIR=$work/tmp DISTCCD_PATH=/nonexistent "$root/dist/bin/distccd" --no-detach --daemon --allow 127.0.0.1 \
    --listen 127.0.0.1 --port "$VOL_PORT" --log-file "$VOL_LOG" --log-level info \
    --ready-file "$work/ready" --hub "$url" --trust "$key" --toolchain-cache "$1" \
    --toolchain-cache-budget "${2:-4G}" --advertise-address 127.0.0.1 &
  VOL_PID=$!
}
await_ready() {
  for _ in $(seq 6000); do [ -s "$work/ready" ] && { now_ms; return; }; sleep 0.02; done
  echo "the volunteer never got ready:" >&2; cat "$VOL_LOG" >&2; exit 1
}
stop_volunteer() { kill "$VOL_PID"; wait "$VOL_PID" 2>/dev/null || true; VOL_PID=; }
# stock_job PORT OUT: one job with the stock distcc 3.4 client, no fallback (a failure fails the benchmark).
stock_job() {
  (cd "$work" && DISTCC_DIR=$work/dcc DISTCC_HOSTS="127.0.0.1:$1,lzo" DISTCC_FALLBACK=0 DISTCC_SKIP_LOCAL_RETRY=1 \
    /usr/bin/distcc gcc -O2 -c hello.c -o "$2") || { echo "job to port $1 failed" >&2; tail -20 "$VOL_LOG" >&2; exit 1; }
}
# our_job PORT OUT: one job with our plain client to a jdistcc peer (,lz4): names the toolchain from the index.
our_job() {
  (cd "$work" && DISTCC_DIR=$work/dcc DISTCC_HOSTS="127.0.0.1:$1,lz4" DISTCC_FALLBACK=0 DISTCC_SKIP_LOCAL_RETRY=1 \
    JDISTCC_TOOLCHAIN_INDEX=$work/sock/toolchains "$root/dist/bin/distcc" gcc -O2 -c hello.c -o "$2") \
    || { echo "job to port $1 failed" >&2; tail -20 "$VOL_LOG" >&2; exit 1; }
}
time_ms() { local t0; t0=$(now_ms); "$@"; echo $(( $(now_ms) - t0 )); }
mkdir -p "$work/dcc"

# Cold: empty cache.
echo "cold volunteer" >&2
start_volunteer "$work/cache/toolchains"
cold_ready=$(( $(await_ready) - VOL_T0 ))
stock_job "$VOL_PORT" cold.o; cold_first=$(( $(now_ms) - VOL_T0 ))
stop_volunteer

# Warm: the same cache.
echo "warm volunteer" >&2
start_volunteer "$work/cache/toolchains"
warm_ready=$(( $(await_ready) - VOL_T0 ))
stock_job "$VOL_PORT" warm.o; warm_first=$(( $(now_ms) - VOL_T0 ))
echo "per-job latency" >&2
vol_job=$(for _ in $(seq "$n"); do time_ms stock_job "$VOL_PORT" v.o; done | median)
vol_ours=$(for _ in $(seq "$n"); do time_ms our_job "$VOL_PORT" o.o; done | median)
stop_volunteer
start_stock_distccd 4
stock_lat=$(for _ in $(seq "$n"); do time_ms stock_job "$STOCK_PORT" s.o; done | median)
local_lat=$(for _ in $(seq "$n"); do time_ms bash -c "cd '$work' && gcc -O2 -c hello.c -o l.o"; done | median)
cmp -s "$work/v.o" "$work/l.o" && same="yes" || same="NO"
cmp -s "$work/o.o" "$work/l.o" || same="NO"

# On demand: a budget between one toolchain and both (gcc ~82 MB unpacked, aarch64 ~42 MB).
echo "on-demand volunteer" >&2
start_volunteer "$work/cache2/toolchains" 100M
od_ready=$(( $(await_ready) - VOL_T0 ))
od_first=$(time_ms our_job "$VOL_PORT" od1.o)
od_next=$(for _ in $(seq "$n"); do time_ms our_job "$VOL_PORT" od.o; done | median)
named=$(grep -c "runs toolchain .* (named by the client)" "$VOL_LOG" || true)
fetched=$(grep -c "fetching toolchain" "$VOL_LOG" || true)
stop_volunteer

echo "## Volunteer start-up and first-job latency (\`scripts/bench/volunteer-start.sh\`)"
echo
echo "Loopback, one \`gcc -O2 -c hello.c\`; a hub packaging gcc 12 and the aarch64 cross gcc; the volunteer is"
echo "\`dist/bin/distccd --hub … --trust …\` (bundles run in the bubblewrap sandbox). Times from \`distccd\` start;"
echo "job latencies are medians of $n sequential jobs. Objects equal local ones: $same."
echo
echo "| case | ready to serve | first object | later jobs (median) |"
echo "|---|---|---|---|"
echo "| cold volunteer (empty cache: fetch + verify + unpack + test-run 2 toolchains) | ${cold_ready} ms | ${cold_first} ms | |"
echo "| warm volunteer (cache filled, restarted) | ${warm_ready} ms | ${warm_first} ms | ${vol_job} ms (distcc 3.4 client), ${vol_ours} ms (our plain client, TOOL named) |"
echo "| on demand (budget 100M < both bundles: nothing fetched at start; our client names gcc's digest) | ${od_ready} ms | +${od_first} ms (one job: fetch gcc + compile) | ${od_next} ms |"
echo "| stock distccd 3.4 (host gcc, no sandbox), same client | | | ${stock_lat} ms |"
echo "| local \`gcc -O2 -c hello.c\` | | | ${local_lat} ms |"
echo
echo "On-demand volunteer log: ${fetched} download(s), ${named} job(s) run with the toolchain named by the client."
echo
echo "\"Ready\" is the JVM start plus, when cold, the whole toolchain sync; a warm start only verifies the saved"
echo "manifest and cache. The on-demand first job pays download, hash, unpack with digest check and sandbox test-run"
echo "of one bundle. Later jobs to the volunteer pay the sandbox (prlimit, setpriv, bwrap with fresh namespaces)"
echo "over stock distccd; our plain client's column adds its JVM start (the resident launcher avoids it)."
