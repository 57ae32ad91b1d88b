#!/usr/bin/env bash
# Per-job client cost on a large input: a 3 MB already-preprocessed .i (mostly one comment, so the server's
# compile is quick and the client's send dominates), sent 40 times in a row through one stock distccd on
# loopback (plain and ,lzo hosts) and one jdistcc distccd (,lz4), by distcc 3.4 and by the native launcher +
# warm resident hub. Client CPU: the client process tree, plus the hub's own CPU read from /proc.
# Not in scripts/benchmark's default list: `scripts/benchmark largeinput` runs it. Prints markdown on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
source "$here/lib.sh"; source "$here/servers.sh"
n=${N:-40}; warm=${W:-40}
work=$(mktemp -d); chmod 1777 "$work"; SRV_DIR=$work; cd "$work"
python3 - > big.i <<'PY'
import random
r = random.Random(1)
words = ["int", "static", "return", "struct", "void", "char", "const", "unsigned", "if", "while", "for"]
print("/*")
n = 0
while n < 3_000_000:
    line = " ".join(r.choice(words) + str(r.randrange(1000)) for _ in range(12)); print(line); n += len(line) + 1
print("*/")
print("int f(int x) { return x * 3; }")
PY
export DISTCC_DIR=$work/.distcc TMPDIR=$work; mkdir -p "$DISTCC_DIR"
start_stock_distccd 4; start_our_distccd 4
export JDISTCC_HUB_SOCKET=$work/hub/hub.sock
"$root/dist/bin/jdistcc-hub" serve --on-demand --no-http --socket "$JDISTCC_HUB_SOCKET" > "$work/hub.log" 2>&1 &
HUB_PID=$!
trap 'kill "$HUB_PID" 2>/dev/null || true; stop_servers; rm -rf "$work"' EXIT
for _ in $(seq 300); do [ -S "$JDISTCC_HUB_SOCKET" ] && break; sleep 0.1; done
hub_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15 + $16 + $17) * 1000 / hz }' "/proc/$HUB_PID/stat"; }
echo "## Per-job client cost on a 3 MB input (\`scripts/bench/largeinput.sh\`, $n jobs each, loopback)"
echo
echo "| host | distcc 3.4 client CPU ms/job | jdistcc launcher + hub ms/job | ratio |"
echo "|---|---|---|---|"
for h in "$STOCK_PORT" "$STOCK_PORT,lzo" "$OURS_PORT,lz4"; do
  export DISTCC_HOSTS="127.0.0.1:$h"; s=
  case $h in *lz4) ;; *) read -r _ s < <(measure "$n" /usr/bin/distcc gcc -c big.i -o s.o) ;; esac
  for ((i = 0; i < warm; i++)); do "$root/dist/bin/distcc-fast" gcc -c big.i -o f.o >/dev/null 2>&1; done
  h0=$(hub_ms); read -r _ c < <(measure "$n" "$root/dist/bin/distcc-fast" gcc -c big.i -o f.o); h1=$(hub_ms)
  t=$(awk -v c="$c" -v a="$h0" -v b="$h1" -v n="$n" 'BEGIN { printf "%.1f", c + (b - a) / n }')
  case $h in *lz4) label="jdistcc distccd, \`,lz4\`" ;; *lzo) label="distccd 3.4, \`,lzo\`" ;; *) label="distccd 3.4, none" ;; esac
  echo "| $label | ${s:-n/a (no LZ4 in distcc)} | $t (launcher $c) | $([ -n "$s" ] && ratio "$t" "$s" || echo n/a) |"
done
