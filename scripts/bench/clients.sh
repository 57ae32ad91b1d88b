# The clients under test, as processes on the client machine (sourced after cgroup.sh and volunteers.sh).
#
# jdistcc's masquerade links start a resident hub on first use (dist/bin/distcc-fast -> jdistcc-hub serve
# --on-demand), detached from make, in whatever network namespace and cgroup that first job ran in; the
# hub then does the client-side work (preprocessor, network) for every later job. So that this work counts
# as client CPU and the hub reaches the setting's volunteers, each client gets, per setting, its own
# DISTCC_DIR (jdistcc keys its hub socket on it) and its own cgroup "cl-MODE" for everything it runs: the
# warm-up job that starts the hub and every measured build. Client CPU of a build is that group's growth
# during the build. stop_clients ends what a client left running, by PID.
CLIENT_SETTING=   # the current setting's name: part of each DISTCC_DIR
BENCH_HUB_ARGS=${BENCH_HUB_ARGS:-}   # options for every jdistcc hub of the run (the simulations set some)

client_dir() { echo "$SCRATCH/distcc-dir.${CLIENT_SETTING:-none}.$1"; }

# client_group MODE: sets CG_WRAP to run in MODE's group (created on first use); empty without cgroups.
client_group() {
  CG_WRAP=()
  cg_available || return 0
  [ -n "${CG_PROCS[cl-$1]:-}" ] || cg_new "cl-$1"
  cg_wrap "cl-$1"
}

# client_cpu_ms MODE: the group's CPU so far, or this shell's reaped children without cgroups (a resident
# process outside the make tree is then not counted).
client_cpu_ms() {
  if cg_available; then CPU_MS=$(cg_cpu_ms "cl-$1"); else cpu_children_ms; fi
}

# warm_client MODE HOSTS: on a setting's first use, creates MODE's DISTCC_DIR (kept for the setting, as a
# user's ~/.distcc is) and sends one compile to HOSTS (jdistcc: two, the second through the started hub), in
# the client's namespace and group, so one-time set-up (jdistcc's hub start and class-data archive) is not
# charged to a measurement. The hub's JIT warm-up over its first builds is charged. Call it before
# reading the volunteers' counters.
warm_client() {
  local d bin=
  d=$(client_dir "$1")
  if [ -d "$d" ]; then
    # kept for the setting; jdistcc's hub must still run (a fleet restart stops the clients' processes)
    [[ $1 == ours* ]] || return 0
    local pid; pid=$(cat "$d/jdistcc/hub.sock.pid" 2>/dev/null) && [ -d "/proc/$pid" ] && return 0
  fi
  mkdir -p "$d"
  case $1 in stock) bin=/usr/lib/distcc/gcc ;; ours|ours-fullcpp|ours-noroom) bin=$BENCH_ROOT/dist/masquerade/gcc ;; *) return 0 ;; esac
  [ -x "$bin" ] || return 0
  client_group "$1"
  # options of the hub this warm-up starts: BENCH_HUB_ARGS for every jdistcc client of the run, and
  # ours-noroom is jdistcc without the long pole's room
  local i hub_args=${BENCH_HUB_ARGS:-}
  [ "$1" = ours-noroom ] && hub_args+=" --no-long-pole-room"
  for i in 1 2; do
    "${CG_WRAP[@]}" "${CLIENT_PIN[@]}" ${CLIENT_NS:+ip netns exec "$CLIENT_NS"} env DISTCC_HOSTS="$2" DISTCC_DIR="$d" ${hub_args:+JDISTCC_HUB_ARGS="$hub_args"} \
      bash -c 'cd "$1" && exec "$2" -c "$3" -o warm.o' warm "$SCRATCH" "$bin" \
      "$BENCH_ROOT/scripts/bench/fixtures/hello.c" >/dev/null 2>&1 || true
    [[ $1 == ours* ]] || break
    # The first job only starts the hub (in the background) and runs itself through the plain JVM client:
    # wait until the hub answers on its socket, then send the second job through it, so neither the hub's
    # start nor jobs that arrive while it starts are charged to the first measured build.
    for _ in $(seq 300); do [ -S "$d/jdistcc/hub.sock" ] && [ -s "$d/jdistcc/hub.sock.pid" ] && break; sleep 0.1; done
  done
}

# stop_clients: stops, by PID, what the clients left running: the members of their groups, or without
# cgroups the processes whose environment names one of this run's DISTCC_DIRs. Then removes the groups.
stop_clients() {
  local g p pids=() left
  if cg_available; then
    for g in "${!CG_PROCS[@]}"; do [[ $g == cl-* ]] && pids+=($(cat "$CG_BASE/$g/cgroup.procs")); done
  else
    for p in /proc/[0-9]*; do
      grep -qaF "DISTCC_DIR=$SCRATCH/distcc-dir." "$p/environ" 2>/dev/null && pids+=("${p#/proc/}")
    done
  fi
  ((${#pids[@]})) || { stop_client_groups; return 0; }
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    left=(); for p in "${pids[@]}"; do [ -d "/proc/$p" ] && left+=("$p"); done
    ((${#left[@]})) || break; sleep 0.2
  done
  ((${#left[@]})) && kill -KILL "${left[@]}" 2>/dev/null
  stop_client_groups
}
stop_client_groups() {
  local g
  cg_available || return 0
  for g in "${!CG_PROCS[@]}"; do [[ $g == cl-* ]] && cg_remove "$g"; done
  return 0
}
