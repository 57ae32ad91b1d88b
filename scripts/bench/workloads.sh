#!/usr/bin/env bash
# End-to-end builds of real workloads, fetched by package name from Debian (get-workloads.sh): built locally,
# through the stock distcc 3.4 client and through the jdistcc client, both clients against the same
# volunteers (Debian's distccd 3.4: the neutral ground) in three settings (volunteers.sh): loopback, a
# 100 Mbit/s LAN made of network namespaces, loopback with one volunteer capped at 20% of a CPU, loopback with
# one volunteer killed mid-build, and "pinned": the client on one core, each volunteer a third of the other.
# Prints a markdown fragment on stdout; progress goes to stderr.
#
# Usage: scripts/bench/workloads.sh [--quick] [--workloads lua,ext4] [--settings loopback,lan,slow,killed,pinned]
#                                   [--clients stock,ours,ours-fullcpp,ours-noroom]
#   ours-fullcpp is jdistcc with JDISTCC_CPP=full (distcc's full cpp); by default only in the loopback setting.
#   ours-noroom is jdistcc whose hub runs with --no-long-pole-room; by default only in the pinned setting.
#   --quick   lua only (a smoke run: 1-5 minutes on 2 busy cores); also BENCH_QUICK=1.
# Environment: JDISTCC_BENCH_WORKLOADS (cache of fetched trees, default ~/.cache/jdistcc-bench),
#   BENCH_VOLUNTEERS (count, default 3), BENCH_VOLUNTEER_JOBS (--jobs each, default 2),
#   BENCH_VOLUNTEER=stock|ours (which distccd volunteers), BENCH_BUILD_TIMEOUT (seconds per build, 1800),
#   BENCH_KEEP=1 (keep the scratch directory: build logs, volunteer logs, DISTCC_DIRs),
#   BENCH_ROUNDS (builds per client, workload and setting; default 9 for lua, 3 for ext4: the first is shown
#   apart, wall and client CPU are the mean of the others).
# Needs root for namespaces and cgroups; without root only the loopback setting runs, with coarser figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); BENCH_ROOT=$(cd "$here/../.." && pwd)
source "$here/lib.sh"; source "$here/cgroup.sh"; source "$here/volunteers.sh"; source "$here/clients.sh"
source "$here/build.sh"

quick=${BENCH_QUICK:-0}; workloads=; settings=loopback,lan,slow,killed,pinned; clients=stock,ours,ours-fullcpp,ours-noroom; all_clients=1
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --workloads) workloads=$2; shift ;;
    --settings) settings=$2; shift ;;
    --clients) clients=$2; all_clients=0; shift ;;
    *) echo "usage: $0 [--quick] [--workloads lua,ext4] [--settings loopback,lan,slow,killed,pinned] [--clients stock,ours,ours-fullcpp,ours-noroom]" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$workloads" ] || workloads=$([ "$quick" = 1 ] && echo lua || echo lua,ext4)
IFS=, read -r -a workloads <<< "$workloads"; IFS=, read -r -a settings <<< "$settings"
IFS=, read -r -a clients <<< "$clients"
WL=${JDISTCC_BENCH_WORKLOADS:-$HOME/.cache/jdistcc-bench}
nvol=${BENCH_VOLUNTEERS:-3}; vjobs=${BENCH_VOLUNTEER_JOBS:-2}

# The volunteers' logs live here; Debian's distccd drops root for its own user, which must reach them.
SCRATCH=$(mktemp -d); chmod 755 "$SCRATCH"; FLEET_DIR=$SCRATCH/fleet; mkdir -p "$FLEET_DIR"
# Runs from the EXIT trap, also after a signal: errexit off, so one failed step cannot skip the rest.
cleanup() { set +e; stop_build; stop_clients; fleet_down; cg_cleanup; if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $SCRATCH" >&2; else rm -rf "$SCRATCH"; fi; }
trap cleanup EXIT; trap 'exit 130' INT TERM
cg_init

load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A ROW=() RAW=()   # "workload|setting|client" -> markdown row / "wall cpu server_cpu bytes"
declare -A NOTE=()         # setting -> what it was, as run
declare -A FIRST=()        # "workload|setting|client" -> "wall cpu" of its first round
declare -A WARM=()         # "workload|setting|client" -> " wall:cpu" of each later round
# Rounds per workload: BENCH_ROUNDS for all, else 9 of lua (a 5-second build, where the machine's noise is
# as large as the differences) and 3 of ext4.
workload_rounds() { [ -n "${BENCH_ROUNDS:-}" ] && echo "$BENCH_ROUNDS" || case $1 in lua) echo 9 ;; *) echo 3 ;; esac; }

for w in "${workloads[@]}"; do
  echo "== $w: fetching into $WL, warm-up and local reference" >&2
  if ! bash "$here/get-workloads.sh" "$WL" "$w" >&2; then
    ROW[$w|-|local]="| — | local | n/a (fetching failed; run scripts/bench/get-workloads.sh $WL $w as root) | | | | | | | |"; continue
  fi
  if ! run_build "$w" local "" "$(nproc)"; then
    ROW[$w|-|local]="| — | local gcc, make -j$(nproc) | n/a ($R_ERR) | | | | | | | |"; continue
  fi
  save_objects "$w" "$SCRATCH/$w.local.sums"
  run_build "$w" local "" "$(nproc)" || true
  ROW[$w|-|local]="| — | local gcc, make -j$(nproc) | $(s "$R_WALL") | $(s "$R_CPU") | — | — | — | — | reference ($(wc -l < "$SCRATCH/$w.local.sums") objects) | |"
done

for st in "${settings[@]}"; do
  echo "== setting $st: starting $nvol volunteers" >&2
  CLIENT_SETTING=$st
  HOST_OPTS=; [ "$st" = lan ] && HOST_OPTS=,lzo
  if ! fleet_up "$st" "$nvol" "$vjobs" 2> "$SCRATCH/fleet.err"; then
    NOTE[$st]="not run: $(tail -1 "$SCRATCH/fleet.err")"; fleet_down; continue
  fi
  NOTE[$st]=$FLEET_NOTE
  # Every client builds each workload workload_rounds times, rounds interleaved (stock, ours, stock, ours, ...): wall
  # and client CPU are the mean of the rounds after the first (jdistcc's hub has served the earlier ones, as a
  # resident process does), the other columns the last round's; the last column is the first round
  # (jdistcc: the first build after the hub started, JIT warm-up included).
  for w in "${workloads[@]}"; do
    [ -f "$SCRATCH/$w.local.sums" ] || continue
    r_here=$(workload_rounds "$w")
    for ((round = 1; round <= r_here; round++)); do
    for c in "${clients[@]}"; do
      # jdistcc with distcc's full cpp: in the loopback setting only, unless --clients asks for it
      [ "$c" = ours-fullcpp ] && [ "$st" != loopback ] && [ "$all_clients" = 1 ] && continue
      # jdistcc without the long pole's room: in the pinned setting only (where volunteers' slots share a CPU)
      [ "$c" = ours-noroom ] && [ "$st" != pinned ] && [ "$all_clients" = 1 ] && continue
      echo "== $w / $st / $c (round $round of $r_here)" >&2
      if [ "$st" = killed ] && [ -e "$FLEET_DIR/killed" ]; then
        # The previous client's build killed a volunteer: every client meets the same three live ones. The killed
        # one starts again on a new port, in the same namespace, so no client's backoff or cooldown from the kill
        # carries over, while the clients and jdistcc's hub keep running, as on a developer's machine.
        wait "${VOL_PID[1]}" 2>/dev/null || true
        cg_available && cg_remove vol1
        start_volunteer 1 "$CLIENT_NS" 127.0.0.1 127.0.0.1 "$vjobs" 2>> "$SCRATCH/fleet.err" \
          || { NOTE[$st]="restart failed: $(tail -1 "$SCRATCH/fleet.err")"; break 2; }
        rm -f "$FLEET_DIR/killed"
        HOSTS=; for ((i = 1; i <= nvol; i++)); do HOSTS+="${HOSTS:+ }${VOL_ADDR[i]}/$vjobs${HOST_OPTS:-}"; done
      fi
      warm_client "$c" "$HOSTS"
      read -r -a before < <(fleet_counters)
      log_marks=(); for i in "${!VOL_LOG[@]}"; do log_marks[i]=$(wc -l < "${VOL_LOG[i]}"); done
      [ "$st" = killed ] && kill_volunteer_after_one_job 1 "$(grep -c COMPILE_OK "${VOL_LOG[1]}" || true)"
      if run_build "$w" "$c" "$HOSTS" "$((nvol * vjobs + 2))"; then
        read -r -a after < <(fleet_counters)
        round_note "$nvol" "${before[*]}" "${after[*]}"
        longest_jobs
        ((round > 1)) || FIRST[$w|$st|$c]="$R_WALL $R_CPU"
        if ((round > 1 || r_here == 1)); then   # wall, client CPU, idle: the mean of the rounds after the first
          WARM[$w|$st|$c]="${WARM[$w|$st|$c]:-} $R_WALL:$R_CPU:$R_IDLE"
          read -r R_WALL R_CPU R_IDLE < <(tr ' ' '\n' <<< "${WARM[$w|$st|$c]}" | awk -F: 'NF == 3 { w += $1; c += $2; i += $3; n++ } END { printf "%d %d %d\n", w / n, c / n, i / n }')
        fi
        if ((round == r_here)); then
          record_row "$st" "$c" "$w" "$nvol" "${before[*]}" "${after[*]}" "$r_here"
        fi
      else
        ROW[$w|$st|$c]="| $st | $(client_label "$c") | n/a ($R_ERR) | | | | | | | |"
      fi
      if [ "$st" = killed ]; then
        [ -e "$FLEET_DIR/killed" ] || ROW[$w|$st|$c]+=" (the volunteer was not killed: the build ended first)"
        kill "$KILLER_PID" 2>/dev/null || true; wait "$KILLER_PID" 2>/dev/null || true
      fi
    done
    done
  done
  stop_clients; fleet_down
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

render_section
