#!/usr/bin/env bash
# A SIMULATION of large volunteer pools on one machine: where does each client saturate?
# Every volunteer is a real Debian distccd 3.4 (one job slot each, on 127.0.0.1 in a private network
# namespace when run as root), but its "compiler" is a fake (fakecc, found first on the daemon's PATH) that
# sleeps for a measured compile time and returns a precompiled object. The client side is entirely real:
# make, the preprocessor (realistic.cpp, ~1.5 MB preprocessed), the distcc client, the network I/O.
# With V volunteers a free client would finish V jobs per compile time; the client machine's own CPU per
# job caps it at cores / (CPU per job). distcc's authors report the real client plateauing at 10-20 volunteers.
# Prints a markdown fragment on stdout.
#
# Usage: scripts/bench/simulate.sh [--quick] [--clients stock,ours] [--volunteers 1,2,4,8,16,32,64]
# Environment: SIM_COMPILE_MS (the fake compile time; default: measured CPU time of the real compile here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); BENCH_ROOT=$(cd "$here/../.." && pwd)
source "$here/lib.sh"; source "$here/cgroup.sh"; source "$here/volunteers.sh"; source "$here/clients.sh"
source "$here/build.sh"

quick=${BENCH_QUICK:-0}; clients=stock,ours; steps=
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --clients) clients=$2; shift ;;
    --volunteers) steps=$2; shift ;;
    *) echo "usage: $0 [--quick] [--clients stock,ours] [--volunteers 1,2,4,...]" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$steps" ] || steps=$([ "$quick" = 1 ] && echo 1,4,16 || echo 1,2,4,8,16,32,64)
IFS=, read -r -a steps <<< "$steps"; IFS=, read -r -a clients <<< "$clients"
vmax=0; for v in "${steps[@]}"; do ((v > vmax)) && vmax=$v; done
VOL_SERVER=stock   # dozens of JVM volunteers would not fit on a small machine; the server is held constant
# The fake volunteers stand for machines of their own (their compiles only sleep): the hub must not hold them
# to this machine's cores, as it does volunteers at its own addresses by default.
BENCH_HUB_ARGS="--same-machine-jobs 0"

SCRATCH=$(mktemp -d); chmod 755 "$SCRATCH"; FLEET_DIR=$SCRATCH/fleet; mkdir -p "$FLEET_DIR"
# Runs from the EXIT trap, also after a signal: errexit off, so one failed step cannot skip the rest.
cleanup() { set +e; stop_build; stop_clients; fleet_down; cg_cleanup; rm -rf "$SCRATCH"; }
trap cleanup EXIT; trap 'exit 130' INT TERM
cg_init

# The real compile, once: its object is what the fake returns, its CPU time is how long the fake sleeps.
cd "$SCRATCH"; cp "$here/fixtures/realistic.cpp" .
g++ -O2 -E realistic.cpp -o realistic.ii
cpu_children_ms; c0=$CPU_MS; g++ -O2 -c realistic.ii -o realistic.o; cpu_children_ms
compile_ms=${SIM_COMPILE_MS:-$((CPU_MS - c0))}
mkdir fakecc
cat > fakecc/fakecc <<SH
#!/bin/sh
# Fake compiler for the simulation: sleeps ${compile_ms} ms, then writes the precompiled object to -o's file.
out=
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && out=\$2; shift; done
sleep $(awk -v ms="$compile_ms" 'BEGIN { printf "%.3f", ms / 1000 }')
exec cp "$SCRATCH/realistic.o" "\$out"
SH
chmod 755 fakecc/fakecc
for n in gcc g++ cc c++ x86_64-linux-gnu-gcc x86_64-linux-gnu-g++ x86_64-linux-gnu-gcc-12 x86_64-linux-gnu-g++-12; do
  ln -s fakecc "fakecc/$n"
done
VOL_PATH=$SCRATCH/fakecc:$PATH

# sim_makefile M: M independent jobs, each a real preprocess + distribution of realistic.cpp.
sim_makefile() {
  local i objs=
  for ((i = 1; i <= $1; i++)); do objs+=" o$i.o"; done
  printf '.PHONY: all\nall:%s\n%%.o:\n\tg++ -O2 -c realistic.cpp -o $@\n' "$objs" > Makefile
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== simulation: starting $vmax fake volunteers (fake compile ${compile_ms} ms)" >&2
CLIENT_SETTING=sim; fleet_up loopback "$vmax" 1 >&2
read -r -a all_hosts <<< "$HOSTS"
declare -A RES=()
for v in "${steps[@]}"; do
  m=$((2 * v)); ((m < 8)) && m=8; ((m > 128)) && m=128
  sim_makefile "$m"
  for c in "${clients[@]}"; do
    case $c in stock) path=/usr/lib/distcc:$PATH ;; ours) path=$BENCH_ROOT/dist/masquerade:$PATH ;; esac
    if [ "$c" = ours ] && [ ! -x "$BENCH_ROOT/dist/masquerade/g++" ]; then RES[$v|$c]="n/a (dist not built)"; continue; fi
    rm -f o*.o; warm_client "$c" "${all_hosts[*]:0:v}"; dd=$(client_dir "$c")
    read -r -a before < <(fleet_counters)
    client_group "$c"; client_cpu_ms "$c"; c0=$CPU_MS; t0=$(date +%s%N); rc=0
    run_bounded 600 "$CLIENT_NS" env PATH="$path" DISTCC_HOSTS="${all_hosts[*]:0:v}" DISTCC_DIR="$dd" make -r -j"$v" \
      > "$SCRATCH/make.log" 2>&1 || rc=$?
    t1=$(date +%s%N); client_cpu_ms "$c"; cpu=$((CPU_MS - c0))
    read -r -a after < <(fleet_counters)
    remote=0; for ((i = 0; i < vmax; i++)); do remote=$((remote + after[2 + i] - before[2 + i])); done
    if [ "$rc" != 0 ]; then
      RES[$v|$c]="n/a (make exited $rc: $(grep -m1 -iE 'error|exception' "$SCRATCH/make.log" | cut -c1-100 | tr '|' '/'))"
    else
      RES[$v|$c]=$(awk -v m="$m" -v ns=$((t1 - t0)) -v cpu="$cpu" -v r="$remote" \
        'BEGIN { printf "%.1f|%.0f|%d|%d", m / (ns / 1e9), cpu / m, r, m }')
    fi
    echo "   V=$v M=$m $(client_label "$c"): ${RES[$v|$c]} (jobs/s|client CPU ms/job|remote jobs)" >&2
  done
done
stop_clients; fleet_down
load1=$(cut -d' ' -f1-3 /proc/loadavg)

cell() {   # cell V CLIENT FIELD(1 jobs/s, 2 ms/job): one figure, or the n/a reason once
  local r=${RES[$1|$2]:-n/a}
  local -a f; IFS='|' read -r -a f <<< "$r"
  if [[ $r == n/a* ]]; then [ "$3" = 1 ] && echo "$r" || echo ""
  elif [ "$3" = 1 ] && [ "${f[2]}" != "${f[3]}" ]; then echo "${f[0]} (only ${f[2]} of ${f[3]} remote)"
  else echo "${f[$3 - 1]}"; fi
}
ceiling() {  # ceiling CLIENT: cores x 1000 / the client's median CPU ms per job, and the volunteers that feeds
  local ms; ms=$(for v in "${steps[@]}"; do cell "$v" "$1" 2; done | grep -E '^[0-9]+$' | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')
  [ -n "$ms" ] && awk -v c="$(nproc)" -v ms="$ms" -v t="$compile_ms" \
    'BEGIN { printf "%.1f jobs/s, i.e. about %.0f volunteers busy (median %d ms client CPU per job)", c * 1000 / ms, c * t / ms, ms }' \
    || echo "n/a"
}
cat <<MD
## SIMULATION: client saturation against many volunteers (\`scripts/bench/simulate.sh$([ "$quick" = 1 ] && echo " --quick")\`)

**This is a simulation, not a build.** Each volunteer is a real Debian distccd 3.4 with one job slot, but its
compiler is a fake that sleeps ${compile_ms} ms (the CPU time the real \`g++ -O2 -c realistic.cpp\` took here) and
returns a precompiled object. The client side is real: \`make -jV\` runs M jobs (2 per volunteer, 8 to 128),
each preprocessing realistic.cpp (~1.5 MB) and sending it through the client to the first V volunteers.
The volunteers stand for machines of their own, so jdistcc's hub runs with \`--same-machine-jobs 0\` (by default it
holds its jobs on volunteers at this machine's addresses to one more than its cores); otherwise
jdistcc runs with its defaults: a partial cpp (\`g++ -E -fdirectives-only\`, ~2.7 MB with the comments and
macro definitions, the macros left for the volunteer to expand), so a real volunteer would do a little more
per job; the fake's sleep is the whole local compile's CPU time, preprocessing included.
Client CPU counts the make tree and any resident client process (jdistcc's hub), from the client's cgroup.
Ideal throughput is V / ${compile_ms} ms; the client machine's $(nproc) cores cap it at cores / (client CPU per job).
The volunteers run on the same cores (their share is small: receive, sleep, send back), and so does any other
work on the machine (load average before/after: $load0 / $load1), so measured throughput flattens below the ceiling.

| volunteers | jobs | ideal jobs/s | distcc 3.4 jobs/s | jdistcc jobs/s | distcc 3.4 client CPU ms/job | jdistcc client CPU ms/job |
|---|---|---|---|---|---|---|
MD
for v in "${steps[@]}"; do
  m=$((2 * v)); ((m < 8)) && m=8; ((m > 128)) && m=128
  echo "| $v | $m | $(awk -v v="$v" -v t="$compile_ms" 'BEGIN { printf "%.1f", v * 1000 / t }') | $(cell "$v" stock 1) | $(cell "$v" ours 1) | $(cell "$v" stock 2) | $(cell "$v" ours 2) |"
done
cat <<MD

Client-bound ceiling (cores / client CPU per job): distcc 3.4 $(ceiling stock); jdistcc $(ceiling ours).
MD
