#!/usr/bin/env bash
# A SIMULATION of one real build's shape, to show scheduling alone: lua's 34 units in make's order (the order
# of lua's own Makefile), each preprocessed for real on the client and sent through the client, each
# "compiled" on the volunteers by a fake compiler that sleeps for that unit's measured compile time (the least
# CPU time of three `gcc -O2 -c` of its preprocessed source here) and returns a small object. The
# volunteers are Debian's distccd 3.4 (3 of them, 2 slots each, make -j8: as in the workloads benchmark), but
# since their compiles use no CPU, the machine's noise and the volunteers' contention for its cores drop out:
# what is left is when each unit starts, which is the client's scheduling. Prints a markdown fragment.
#
# Usage: scripts/bench/shape.sh [--quick]
# Environment: BENCH_ROUNDS (rounds per client, default 7; --quick 2), JDISTCC_BENCH_WORKLOADS (the workloads'
# cache, as for workloads.sh; lua is fetched there when missing), SHAPE_TIMES (see below).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); BENCH_ROOT=$(cd "$here/../.." && pwd)
source "$here/lib.sh"; source "$here/cgroup.sh"; source "$here/volunteers.sh"; source "$here/clients.sh"
source "$here/build.sh"

quick=${BENCH_QUICK:-0}
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
  shift
done
rounds=${BENCH_ROUNDS:-$([ "$quick" = 1 ] && echo 2 || echo 7)}
nvol=3; vjobs=2; clients=(stock ours)
VOL_SERVER=stock
# The fake volunteers stand for machines of their own (their compiles only sleep): the hub must not hold them
# to this machine's cores, as it does volunteers at its own addresses by default.
BENCH_HUB_ARGS="--same-machine-jobs 0"
WL=${JDISTCC_BENCH_WORKLOADS:-$HOME/.cache/jdistcc-bench}

SCRATCH=$(mktemp -d); chmod 755 "$SCRATCH"; FLEET_DIR=$SCRATCH/fleet; mkdir -p "$FLEET_DIR"
cleanup() { set +e; stop_build; stop_clients; fleet_down; cg_cleanup; if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $SCRATCH" >&2; else rm -rf "$SCRATCH"; fi; }
trap cleanup EXIT; trap 'exit 130' INT TERM
cg_init

[ -f "$WL/lua/src/lvm.c" ] || bash "$here/get-workloads.sh" "$WL" lua >&2
src=$WL/lua/src
cflags=(-std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_LINUX)
# make's order: lua's Makefile builds liblua.a (CORE_O, then LIB_O), then lua, then luac
units=$(sed -n 's/^\(CORE_O\|LIB_O\)=[[:space:]]*//p' "$src/Makefile" | tr '\n' ' ')
units+=" lua.o luac.o"

# Each unit's compile time here: the least CPU time of three compiles of its preprocessed source (the machine
# is shared: the least is the least disturbed), by that source's size (the fake compiler sees only the
# volunteer's temporary copy of the source; lua's preprocessed sizes are distinct). SHAPE_TIMES=FILE keeps the
# table in FILE, or reads it from there when it exists, so two versions of a client can be compared on the same times.
cd "$SCRATCH"; mkdir fakecc
if [ -n "${SHAPE_TIMES:-}" ] && [ -s "$SHAPE_TIMES" ]; then
  cp "$SHAPE_TIMES" fakecc/times
else
  : > fakecc/times
  for o in $units; do
    c=${o%.o}.c; best=
    gcc "${cflags[@]}" -E "$src/$c" -o unit.i
    for _ in 1 2 3; do
      cpu_children_ms; c0=$CPU_MS; gcc "${cflags[@]}" -w -c unit.i -o unit.o; cpu_children_ms
      ms=$((CPU_MS - c0)); ((ms > 0)) || ms=1
      [ -z "$best" ] || ((ms < best)) && best=$ms
    done
    echo "$(stat -c %s unit.i) $best $c" >> fakecc/times
  done
  [ -z "${SHAPE_TIMES:-}" ] || cp fakecc/times "$SHAPE_TIMES"
fi
read -r total longest longest_unit < <(awk '{ t += $2; if ($2 > l) { l = $2; u = $3 } } END { print t, l, u }' fakecc/times)
gcc "${cflags[@]}" -w -c "$src/lzio.c" -o unit.o
mv unit.o fakecc/fake.o; rm -f unit.i
: > fakecc/misses; chmod 666 fakecc/misses   # the fake runs as distccd's user
cat > fakecc/fakecc <<SH
#!/bin/sh
# Fake compiler for the shape simulation: sleeps for the measured compile time of the unit whose preprocessed
# source it was given (found by its size), then writes a small object to -o's file.
out=; in=
while [ \$# -gt 0 ]; do
  case \$1 in -o) out=\$2; shift ;; *.i) in=\$1 ;; esac
  shift
done
size=\$(stat -c %s "\$in")
ms=\$(awk -v s="\$size" '\$1 == s { print \$2; exit }' "$SCRATCH/fakecc/times")
[ -n "\$ms" ] || echo "\$size" >> "$SCRATCH/fakecc/misses"
sleep "\$(awk -v ms="\${ms:-100}" 'BEGIN { printf "%.3f", ms / 1000 }')"
exec cp "$SCRATCH/fakecc/fake.o" "\$out"
SH
chmod 755 fakecc/fakecc
for n in gcc cc x86_64-linux-gnu-gcc x86_64-linux-gnu-gcc-12; do ln -s fakecc "fakecc/$n"; done
VOL_PATH=$SCRATCH/fakecc:$PATH

{ printf '.PHONY: all\nall:'; for o in $units; do printf ' %s' "$o"; done
  printf '\n%%.o: %s/%%.c\n\tgcc %s -c $< -o $@\n' "$src" "${cflags[*]}"; } > Makefile

echo "== shape: lua's $(wc -l < fakecc/times) units, $nvol fake volunteers x $vjobs slots" >&2
CLIENT_SETTING=shape; fleet_up loopback "$nvol" "$vjobs" >&2
declare -A WALLS=()
for ((round = 1; round <= rounds; round++)); do
  for c in "${clients[@]}"; do
    case $c in stock) path=/usr/lib/distcc:$PATH ;; ours) path=$BENCH_ROOT/dist/masquerade:$PATH ;; esac
    rm -f ./*.o; warm_client "$c" "$HOSTS"; dd=$(client_dir "$c")
    read -r -a before < <(fleet_counters)
    t0=$(date +%s%N); rc=0
    run_bounded 600 "$CLIENT_NS" env PATH="$path" DISTCC_HOSTS="$HOSTS" DISTCC_DIR="$dd" make -r -j$((nvol * vjobs + 2)) \
      > "$SCRATCH/make.log" 2>&1 || rc=$?
    t1=$(date +%s%N)
    read -r -a after < <(fleet_counters)
    remote=0; for ((i = 0; i < nvol; i++)); do remote=$((remote + after[2 + i] - before[2 + i])); done
    if [ "$rc" != 0 ]; then
      echo "   $(client_label "$c"): make exited $rc: $(grep -m1 -iE 'error|exception' "$SCRATCH/make.log" | cut -c1-100)" >&2
      continue
    fi
    w=$(((t1 - t0) / 1000000))
    misses=$(grep -c . fakecc/misses || true); : > fakecc/misses
    echo "   round $round $(client_label "$c"): wall $w ms, $remote of $(wc -l < fakecc/times) units remote, $misses not found by size" >&2
    # the first round of each client warms it up (jdistcc's hub learns the sources' sizes); it is not counted
    ((round > 1 || rounds == 1)) && WALLS[$c]+=" $w"
  done
done
stop_clients; fleet_down

stats() {   # stats "W1 W2 ...": mean, min and max
  tr ' ' '\n' <<< "$1" | awk 'NF { s += $1; n++; if (!min || $1 < min) min = $1; if ($1 > max) max = $1 }
    END { if (n) printf "%.2f|%.2f|%.2f|%d", s / n / 1000, min / 1000, max / 1000, n; else print "n/a" }'
}
IFS='|' read -r s_mean s_min s_max s_n <<< "$(stats "${WALLS[stock]:-}")"
IFS='|' read -r o_mean o_min o_max o_n <<< "$(stats "${WALLS[ours]:-}")"
bound=$(awk -v t="$total" -v l="$longest" -v s=$((nvol * vjobs)) 'BEGIN { b = t / s; if (l > b) b = l; printf "%.2f", b / 1000 }')
cat <<MD
## SIMULATION: one build's shape (\`scripts/bench/shape.sh$([ "$quick" = 1 ] && echo " --quick")\`)

**This is a simulation, not a build.** lua's $(wc -l < fakecc/times) units in the order of lua's Makefile, \`make -j$((nvol * vjobs + 2))\`,
preprocessed for real and sent through each client to $nvol Debian distccd 3.4 volunteers with $vjobs slots each, whose
compiler is a fake that sleeps for the unit's measured compile time (the least CPU time of three \`gcc -O2 -c\` of its
preprocessed source here: $(awk -v t="$total" 'BEGIN { printf "%.1f", t / 1000 }') s in all, the longest $longest_unit $(awk -v t="$longest" 'BEGIN { printf "%.2f", t / 1000 }') s). The volunteers' compiles use no CPU,
so what differs between the clients is when each unit starts: their scheduling (and their own per-job cost).
They stand for volunteers on machines of their own, so jdistcc's hub runs with \`--same-machine-jobs 0\` (by default it
holds its jobs on volunteers at this machine's addresses to one more than its cores).
No unit can end before its own compile time, nor the build before its total over the $((nvol * vjobs)) slots: the lower
bound is $bound s. Wall time is the mean of rounds 2-$rounds (the first round warms each client up).

| client | wall s (mean) | min | max | rounds |
|---|---|---|---|---|
| distcc 3.4 | $s_mean | $s_min | $s_max | $s_n |
| jdistcc | $o_mean | $o_min | $o_max | $o_n |
| **ratio jdistcc / distcc 3.4** | $(awk -v a="$o_mean" -v b="$s_mean" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }') | | | |
MD
