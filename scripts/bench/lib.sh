# Shared helpers for the benchmark scripts (sourced, not run).
# Every figure is measured on this machine in one run, side by side with distcc 3.4.

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (30 s at most).
wait_port() {
  for _ in $(seq 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}

# measure N CMD...: runs CMD N times in a row; prints "wall_ms_per_job cpu_ms_per_job" where CPU is
# user+sys of CMD and all its children (bash's times), i.e. everything the client machine spends.
measure() {
  local n=$1; shift
  local t0 c0 t1 c1
  cpu_children_ms; c0=$CPU_MS; t0=$(date +%s%N)
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }; done
  t1=$(date +%s%N); cpu_children_ms; c1=$CPU_MS
  awk -v w=$(( (t1 - t0) / 1000 )) -v c=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.2f %.2f\n", w / 1000 / n, c / n }'
}

# Sets CPU_MS to the user+sys milliseconds of this shell's reaped children (bash's `times`, second line).
# Not a command substitution: that would run in a subshell with no children of its own.
cpu_children_ms() {
  local line u s f=${TMPDIR:-/tmp}/jdistcc-bench-times.$$
  times > "$f"                         # builtin, so no fork; second line is the children's "0m1.234s 0m0.567s"
  { read -r line; read -r line; } < "$f"; rm -f "$f"
  u=${line%% *}; s=${line##* }
  CPU_MS=$(awk -v u="$u" -v s="$s" 'function ms(x,  m){ m=x; sub(/m.*/,"",m); sub(/^[0-9]+m/,"",x); sub(/s/,"",x); return (m*60+x)*1000 } BEGIN { printf "%d", ms(u)+ms(s) }')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
