#!/usr/bin/env bash
# Jobs per second one distccd sustains: the stock distcc 3.4 client (held constant) sends M jobs, 6 at a time,
# to a stock distccd and to ours, each with --jobs 4 on this machine, for a trivial and a realistic compile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); source "$here/lib.sh"; source "$here/servers.sh"
root=$(cd "$here/../.." && pwd)
quick=${BENCH_QUICK:-0}
work=$(mktemp -d); cp "$here/fixtures/hello.c" "$here/fixtures/realistic.cpp" "$work/"; cd "$work"
export DISTCC_DIR=$work/.distcc TMPDIR=$work; mkdir -p "$DISTCC_DIR"
# Preprocess once, so the client side costs the same for both servers and the server is what is measured.
gcc -E hello.c -o hello.i; g++ -O2 -E realistic.cpp -o realistic.ii

# run_load PORT FILE COUNT: COUNT jobs of FILE through the stock client, 6 in flight; prints jobs/s.
run_load() {
  local port=$1 file=$2 count=$3 cc t0 t1
  cc=gcc; [[ $file == *.ii ]] && cc=g++
  export DISTCC_HOSTS="127.0.0.1:$port/6" DISTCC_FALLBACK=0
  t0=$(date +%s%N)
  seq "$count" | xargs -P 6 -I{} /usr/bin/distcc $cc -O2 -c "$file" -o "out{}.o"
  t1=$(date +%s%N)
  awk -v n="$count" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }'
}

trivial=$([ "$quick" = 1 ] && echo 12 || echo 120); real=$([ "$quick" = 1 ] && echo 4 || echo 16)
start_stock_distccd 4; start_our_distccd 4
st=$(run_load "$STOCK_PORT" hello.i "$trivial"); ot=$(run_load "$OURS_PORT" hello.i "$trivial")
sr=$(run_load "$STOCK_PORT" realistic.ii "$real"); or=$(run_load "$OURS_PORT" realistic.ii "$real")
stop_servers
cat <<MD
## Server throughput (\`scripts/bench/server.sh\`: stock client, 6 jobs in flight, server --jobs 4, loopback)

| compile | distccd 3.4 jobs/s | jdistcc distccd jobs/s | ratio jdistcc / distcc 3.4 |
|---|---|---|---|
| trivial (hello.i, $trivial jobs) | $st | $ot | $(ratio "$ot" "$st") |
| realistic (C++ with STL, 1.5 MB preprocessed, $real jobs) | $sr | $or | $(ratio "$or" "$sr") |

Higher is better here: a ratio above 1.0 means jdistcc's server completes more jobs per second.
MD
