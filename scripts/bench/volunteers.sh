# Volunteer fleets for the end-to-end benchmarks (sourced after lib.sh and cgroup.sh, not run).
#
# A "setting" is a set of distccd volunteers plus the place the client runs:
#   loopback  N volunteers on 127.0.0.1 (free ports) in a network namespace of their own, the client beside them;
#             the private loopback makes its byte counters count exactly the benchmark's traffic.
#   lan       a switched LAN built from namespaces: the client and each volunteer in its own namespace, every
#             link a veth pair into a bridge in a "switch" namespace, 10.77.0.0/24 addresses that exist only
#             inside those namespaces, every link shaped to 100 Mbit/s (tc tbf; plus 1 ms delay when the
#             kernel has netem).
#   slow      like loopback, but the first volunteer in the host list (the one distcc tries first) is capped
#             at 20% of one CPU with a cgroup.
#   pinned    like loopback, but the client and the volunteers no longer share cores: everything the client
#             runs is pinned to CPU 0 (CLIENT_PIN, a taskset prefix), every volunteer to CPU 1 and capped at a
#             third of it with a cgroup, so each volunteer is a small machine of its own and none takes CPU
#             from the client or from another volunteer. Needs 2 CPUs and the cgroup CPU controller.
# Without root (no namespaces) only "loopback" works, on the machine's own 127.0.0.1, without byte counts.
# Everything is stopped by PID and every namespace deleted by fleet_down (call it from an EXIT trap).
# FLEET_DIR (logs) must be reachable by other users: Debian's distccd switches from root to its own user.

FLEET_NS=(); VOL_PID=(); VOL_LOG=(); VOL_ADDR=(); CLIENT_NS=; FLEET_NOTE=; FLEET_KIND=
VOL_PIN=(); CLIENT_PIN=()   # taskset prefixes of the pinned setting (empty otherwise)
VOL_SERVER=${BENCH_VOLUNTEER:-stock}   # stock: Debian's distccd 3.4; ours: dist/bin/distccd
LAN_RATE=${BENCH_LAN_RATE:-100mbit}

can_netns() { [ "$(id -u)" = 0 ] && command -v ip >/dev/null; }

ns_run() { local ns=$1; shift; if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }

# ns_add NAME: a namespace with loopback up and IPv6 off (no neighbour-discovery chatter in the byte counts).
ns_add() {
  ip netns add "$1"; FLEET_NS+=("$1")
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true
  ip -n "$1" link set lo up
}

# volunteer_cmd: the server program (as an array in VOL_CMD).
volunteer_cmd() {
  case $VOL_SERVER in
    stock) VOL_CMD=("$(command -v distccd || echo /usr/bin/distccd)") ;;
    ours) VOL_CMD=("$BENCH_ROOT/dist/bin/distccd") ;;
    *) echo "BENCH_VOLUNTEER must be stock or ours" >&2; return 2 ;;
  esac
}

# start_volunteer INDEX NS ADDR ALLOW JOBS [CPU_PERCENT]: one distccd, in its own cgroup when possible.
start_volunteer() {
  local i=$1 ns=$2 addr=$3 allow=$4 jobs=$5 pct=${6:-} port log
  port=$(ns_run "$ns" python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$addr")
  log=$FLEET_DIR/volunteer$i.log; : > "$log"; chmod 666 "$log"
  if [ "$VOL_SERVER" = stock ] && [ "$(id -u)" = 0 ] && id distccd >/dev/null 2>&1; then
    su -s /bin/sh distccd -c "test -w '$log'" 2>/dev/null \
      || { echo "the distccd user cannot write $log (make its directories world-searchable)" >&2; return 1; }
  fi
  CG_WRAP=()
  if cg_available; then cg_new "vol$i" "$pct" && cg_wrap "vol$i"; elif [ -n "$pct" ]; then return 1; fi
  volunteer_cmd
  # The cgroup wrapper goes first: `ip netns exec` mounts a fresh /sys, which hides the cgroup files.
  "${CG_WRAP[@]}" "${VOL_PIN[@]}" ${ns:+ip netns exec "$ns"} env TMPDIR=/tmp PATH="${VOL_PATH:-$PATH}" "${VOL_CMD[@]}" \
    --no-detach --daemon --listen "$addr" --port "$port" --allow "$allow" --jobs "$jobs" \
    --log-file "$log" --log-level info --enable-tcp-insecure </dev/null >>"$FLEET_DIR/volunteers.out" 2>&1 &
  VOL_PID[i]=$!; VOL_LOG[i]=$log; VOL_ADDR[i]=$addr:$port
  ns_run "$ns" bash -c 'for _ in $(seq 300); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exit 0; sleep 0.1; done; exit 1' \
    probe "$addr" "$port" || { echo "volunteer $i did not start (see $FLEET_DIR/volunteers.out)" >&2; return 1; }
}

# fleet_up KIND N JOBS: starts a setting; sets CLIENT_NS, VOL_*, FLEET_NOTE and HOSTS (a DISTCC_HOSTS value).
fleet_up() {
  local kind=$1 n=$2 jobs=$3 i
  FLEET_KIND=$kind; FLEET_DIR=${FLEET_DIR:-$(mktemp -d)}; chmod 755 "$FLEET_DIR"; HOSTS=; FLEET_NOTE=
  VOL_PID=(); VOL_LOG=(); VOL_ADDR=(); VOL_PIN=(); CLIENT_PIN=()
  case $kind in
    loopback|slow|killed|pinned)
      if can_netns; then ns_add "jdb$$lo"; CLIENT_NS=jdb$$lo; else CLIENT_NS=; FLEET_NOTE="host loopback (no root: no namespace, no byte counts)"; fi
      [ "$kind" = slow ] || [ "$kind" = pinned ] && ! cg_can_limit && { echo "$kind: no cgroup CPU controller" >&2; return 1; }
      if [ "$kind" = pinned ]; then
        [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null || { echo "pinned: needs 2 CPUs and taskset" >&2; return 1; }
        VOL_PIN=(taskset -c 1); CLIENT_PIN=(taskset -c 0)
      fi
      local cap
      for ((i = 1; i <= n; i++)); do
        cap=; [ "$kind" = slow ] && ((i == 1)) && cap=20; [ "$kind" = pinned ] && cap=$((100 / n))
        start_volunteer "$i" "$CLIENT_NS" 127.0.0.1 127.0.0.1 "$jobs" $cap || return 1
      done ;;
    lan)
      can_netns || { echo "lan: needs root for network namespaces" >&2; return 1; }
      lan_up "$n" || return 1
      for ((i = 1; i <= n; i++)); do start_volunteer "$i" "jdb$$v$i" "10.77.0.$((10 + i))" 10.77.0.0/24 "$jobs" || return 1; done ;;
    *) echo "unknown setting $kind" >&2; return 2 ;;
  esac
  for ((i = 1; i <= n; i++)); do HOSTS+="${HOSTS:+ }${VOL_ADDR[i]}/$jobs${HOST_OPTS:-}"; done
}

# kill_volunteer_after_one_job I BASE: in the background, waits until volunteer I has compiled one job more than
# BASE (its COMPILE_OK count before the build), so it is in the middle of the build with its other slot busy,
# then kills its whole process tree at once (cgroup.kill with cgroups, else SIGKILL to the daemon's PID): a
# machine that dies mid-job. Sets KILLER_PID; the killer writes the moment to $FLEET_DIR/killed.
kill_volunteer_after_one_job() {
  local i=$1 base=$2
  (
    for _ in $(seq 18000); do
      [ "$(grep -c COMPILE_OK "${VOL_LOG[i]}" || true)" -gt "$base" ] && break; sleep 0.1
    done
    if cg_available && [ -e "$CG_BASE/vol$i/cgroup.kill" ]; then echo 1 > "$CG_BASE/vol$i/cgroup.kill"
    else kill -KILL "${VOL_PID[i]}"; fi
    date +%s%N > "$FLEET_DIR/killed"
  ) &
  KILLER_PID=$!
}

# shape DEV NS: the LAN's link discipline on one veth end (egress), so each link is shaped both ways.
shape() {
  if ip netns exec "$2" tc qdisc add dev "$1" root netem delay 1ms rate "$LAN_RATE" 2>/dev/null; then
    FLEET_NOTE="every link $LAN_RATE with 1 ms delay (tc netem)"
  else
    ip netns exec "$2" tc qdisc add dev "$1" root tbf rate "$LAN_RATE" burst 128kb latency 50ms
    FLEET_NOTE="every link $LAN_RATE (tc tbf); no added delay: this kernel has no netem"
  fi
}

lan_up() {
  local n=$1 i sw=jdb$$sw
  ns_add "$sw"; ns_add "jdb$$c"; CLIENT_NS=jdb$$c
  ip -n "$sw" link add br0 type bridge; ip -n "$sw" link set br0 up
  ip -n "$sw" link add c0 type veth peer name eth0 netns "$CLIENT_NS"
  ip -n "$sw" link set c0 master br0 up
  ip -n "$CLIENT_NS" addr add 10.77.0.1/24 dev eth0; ip -n "$CLIENT_NS" link set eth0 up
  shape c0 "$sw"; shape eth0 "$CLIENT_NS"
  for ((i = 1; i <= n; i++)); do
    ns_add "jdb$$v$i"
    ip -n "$sw" link add "v$i" type veth peer name eth0 netns "jdb$$v$i"
    ip -n "$sw" link set "v$i" master br0 up
    ip -n "jdb$$v$i" addr add "10.77.0.$((10 + i))/24" dev eth0; ip -n "jdb$$v$i" link set eth0 up
    shape "v$i" "$sw"; shape eth0 "jdb$$v$i"
  done
}

# fleet_counters: one line "BYTES_TO BYTES_FROM JOBS_1 .. JOBS_N CPU_1 .. CPU_N" (bytes '-' when unknown;
# on a shared loopback the split is unknown, so BYTES_TO holds the total and BYTES_FROM is '-').
fleet_counters() {
  local i to=- from=- jobs=() cpu=()
  if [ "$FLEET_KIND" = lan ]; then
    read -r to from < <(ip netns exec "$CLIENT_NS" awk '$1 == "eth0:" { print $10, $2 }' /proc/net/dev)
  elif [ -n "$CLIENT_NS" ]; then
    to=$(ip netns exec "$CLIENT_NS" awk '$1 == "lo:" { print $10 }' /proc/net/dev)
  fi
  for i in "${!VOL_PID[@]}"; do
    jobs+=("$(grep -c COMPILE_OK "${VOL_LOG[i]}" || true)")
    if cg_available; then cpu+=("$(cg_cpu_ms "vol$i")"); else cpu+=("$(proc_tree_cpu_ms "${VOL_PID[i]}")"); fi
  done
  echo "$to $from ${jobs[*]} ${cpu[*]}"
}

fleet_down() {
  local p ns
  for p in "${VOL_PID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${VOL_PID[@]}"; do wait "$p" 2>/dev/null || true; done
  VOL_PID=()
  for ns in "${FLEET_NS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  FLEET_NS=(); CLIENT_NS=
  if cg_available; then for p in "${!CG_PROCS[@]}"; do [[ $p == vol* ]] && cg_remove "$p"; done; fi
  return 0
}
