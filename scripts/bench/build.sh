# Building one workload once and rendering the results (sourced by workloads.sh, not run).
# Every build is clean (the workload's objects removed first), runs under a deadline, and is measured as
# wall time plus the user+sys CPU of its whole process tree (make, preprocessor, distcc client, linker).

# run_bounded SECONDS NS CMD...: CMD in the cgroup prefix CG_WRAP and namespace NS, under `timeout` (which
# kills its whole process group at the deadline). It runs in the background and is waited for, so an INT or
# TERM trap can stop it at once through stop_build (a foreground child would delay the trap until it ends).
BUILD_PID=
run_bounded() {
  local secs=$1 ns=$2 rc=0; shift 2
  "${CG_WRAP[@]}" "${CLIENT_PIN[@]}" ${ns:+ip netns exec "$ns"} timeout -k 10 "$secs" "$@" < /dev/null &
  BUILD_PID=$!
  wait "$BUILD_PID" || rc=$?
  BUILD_PID=; return "$rc"
}
stop_build() {
  [ -n "$BUILD_PID" ] || return 0
  kill "$BUILD_PID" 2>/dev/null || true; wait "$BUILD_PID" 2>/dev/null || true; BUILD_PID=
}

# workload_clean / workload_cmd J / workload_objects: the recipe of each workload (trees from get-workloads.sh).
workload_clean() {
  case $1 in
    lua) make -s -C "$WL/lua/src" clean >/dev/null ;;
    ext4) rm -rf "$WL/kbuild/fs/ext4" ;;
  esac
}
# workload_reset: unmeasured, with the local compiler, before every build: puts back shared state a failed
# build may have left half-made (Kbuild regenerates its config and objtool if the compiler looks different).
workload_reset() {
  case $1 in
    lua) ;;
    ext4) make -s -C "$WL/linux" O="$WL/kbuild" -j"$(nproc)" prepare > "$SCRATCH/reset.log" 2>&1 ;;
  esac
}
workload_cmd() {   # sets CMD
  case $1 in
    lua) CMD=(make -C "$WL/lua/src" -j"$2" linux) ;;
    ext4) CMD=(make -C "$WL/linux" O="$WL/kbuild" -j"$2" fs/ext4/) ;;
  esac
}
workload_objects() {
  case $1 in
    lua) find "$WL/lua/src" -maxdepth 1 -name '*.o' ;;
    ext4) find "$WL/kbuild/fs/ext4" -name '*.o' ;;
  esac | sort
}
workload_title() {
  case $1 in
    lua) echo "Lua $(ls "$WL"/lua5.4_*.dsc 2>/dev/null | sed -n '1s/.*lua5.4_\([^-]*\).*/\1/p') (Debian source package lua5.4, \`make linux\`)" ;;
    ext4) echo "Linux 6.1 fs/ext4 (Debian package linux-source-6.1, x86_64 defconfig, \`make fs/ext4/\`)" ;;
  esac
}
save_objects() { workload_objects "$1" | xargs -r md5sum | sed "s|  $WL/|  |" > "$2"; }

# run_build WORKLOAD MODE HOSTS JOBS: MODE local | stock (Debian's masquerade dir /usr/lib/distcc) |
# ours (dist/masquerade). Distributed builds run in the setting's client namespace. Sets R_WALL and R_CPU (ms),
# R_DIFF (objects that differ from the local build); on failure returns 1 with R_ERR.
run_build() {
  local w=$1 mode=$2 hosts=$3 j=$4 path=$PATH ns= rc=0 c0 t0 t1 log dd
  R_ERR=; R_WALL=; R_CPU=; R_DIFF=
  case $mode in
    local) ;;
    stock) [ -x /usr/lib/distcc/gcc ] || { R_ERR="no /usr/lib/distcc/gcc: apt-get install distcc"; return 1; }
           path=/usr/lib/distcc:$PATH; ns=$CLIENT_NS ;;
    ours|ours-fullcpp|ours-noroom)
          [ -x "$BENCH_ROOT/dist/masquerade/gcc" ] || { R_ERR="dist/masquerade not built: ./mvnw -q package -DskipTests"; return 1; }
          path=$BENCH_ROOT/dist/masquerade:$PATH; ns=$CLIENT_NS ;;
  esac
  local cpp=(); [ "$mode" = ours-fullcpp ] && cpp=(JDISTCC_CPP=full)
  log=$SCRATCH/$w.$mode.log; dd=$(client_dir "$mode"); mkdir -p "$dd"
  workload_reset "$w" || { R_ERR="could not restore the $w tree (make prepare failed)"; return 1; }
  workload_clean "$w"; workload_cmd "$w" "$j"
  client_group "$mode"
  client_cpu_ms "$mode"; c0=$CPU_MS; h0=$(hub_cpu_ms "$dd"); t0=$(date +%s%N)
  run_bounded "${BENCH_BUILD_TIMEOUT:-1800}" "$ns" env PATH="$path" DISTCC_HOSTS="$hosts" DISTCC_DIR="$dd" "${cpp[@]}" "${CMD[@]}" \
    > "$log" 2>&1 || rc=$?
  t1=$(date +%s%N); client_cpu_ms "$mode"
  R_CPU=$((CPU_MS - c0)); R_WALL=$(((t1 - t0) / 1000000)); R_HUB=
  [ -n "$h0" ] && R_HUB=$(( $(hub_cpu_ms "$dd") - h0 ))
  if [ "$rc" != 0 ]; then
    # The client's own complaint if it made one, else make's first error line.
    R_ERR=$( { grep -iE 'error|exception|fatal|denied|not found|no such|unknown|not supported|cannot|failed' "$log" | grep -vE '^make(\[[0-9]+\])?: |^  [A-Z]+ ' || true
               grep -E '^make(\[[0-9]+\])?: \*\*\*' "$log" || true; } | head -1 | cut -c1-140 | tr '|' '/')
    R_ERR="build exited $rc${R_ERR:+: $R_ERR}"
    { echo "   failed: $R_ERR; the build log ends:"; tail -5 "$log" | sed 's/^/     /'; } >&2; return 1
  fi
  [ "$mode" = local ] && return 0
  save_objects "$w" "$SCRATCH/$w.$mode.sums"
  R_DIFF=$(grep -vxFf "$SCRATCH/$w.local.sums" "$SCRATCH/$w.$mode.sums" | wc -l)
  echo "   wall ${R_WALL} ms, client CPU ${R_CPU} ms${R_HUB:+ (of which the resident hub ${R_HUB} ms)}, objects differing from local: $R_DIFF" >&2
}

# hub_cpu_ms DISTCC_DIR: user+sys ms of the resident hub serving that DISTCC_DIR (its own and its reaped
# children's), or nothing when none runs. Part of the client CPU already; shown apart to see where it goes.
hub_cpu_ms() {
  local pid; pid=$(cat "$1/jdistcc/hub.sock.pid" 2>/dev/null) || return 0
  [ -r "/proc/$pid/stat" ] || return 0
  awk -v hz="$(getconf CLK_TCK)" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); printf "%d\n", (f[12] + f[13] + f[14] + f[15]) * 1000 / hz }' "/proc/$pid/stat"
}

s() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
client_label() { case $1 in stock) echo "distcc 3.4" ;; ours) echo "jdistcc" ;; ours-fullcpp) echo "jdistcc, \`JDISTCC_CPP=full\`" ;; ours-noroom) echo "jdistcc, hub \`--no-long-pole-room\`" ;; *) echo "$1" ;; esac; }

# record_row SETTING CLIENT WORKLOAD N "COUNTERS BEFORE" "COUNTERS AFTER" (fleet_counters lines):
# fills ROW (markdown) and the raw figures the ratio rows use.
record_row() {
  local st=$1 c=$2 w=$3 n=$4 i scpu=0 jobs= remote=0 wire bytes=
  local -a b=($5) a=($6)
  for ((i = 0; i < n; i++)); do
    local dj=$((a[2 + i] - b[2 + i])) dc=$((a[2 + n + i] - b[2 + n + i]))
    jobs+="${jobs:+ / }$dj"; remote=$((remote + dj)); scpu=$((scpu + dc))
  done
  if [ "${a[0]}" = - ]; then wire="n/a"
  elif [ "${a[1]}" = - ]; then bytes=$((a[0] - b[0])); wire="$(mib "$bytes") (both ways)"
  else bytes=$((a[0] - b[0] + a[1] - b[1])); wire="$(mib $((a[0] - b[0]))) / $(mib $((a[1] - b[1])))"
  fi
  ((remote > 0)) || jobs+=" (none remote: the client fell back to local compiles)"
  local first="— (one build)" f
  if [ "${7:-1}" -gt 1 ] && [ -n "${FIRST[$w|$st|$c]:-}" ]; then f=(${FIRST[$w|$st|$c]}); first="$(s "${f[0]}") / $(s "${f[1]}")"; fi
  ROW[$w|$st|$c]="| $st | $(client_label "$c") | $(s "$R_WALL") | $(s "$R_CPU") | $(s "$scpu") | $(s "$R_IDLE") | $wire | $jobs | $([ "$R_DIFF" = 0 ] && echo yes || echo "no: $R_DIFF differ") | $first |"
  RAW[$w|$st|$c]="$R_WALL $R_CPU $scpu ${bytes:-0}"
}

# round_note N "COUNTERS BEFORE" "COUNTERS AFTER": one build's volunteer CPU and the machine's idle core time
# (cores x wall - client CPU - volunteer CPU), on stderr: with the volunteers on this machine's cores, idle
# time is what a client's scheduling leaves unused, apart from how fast the machine happened to run.
round_note() {
  local n=$1 i v=0; local -a b=($2) a=($3)
  for ((i = 0; i < n; i++)); do v=$((v + a[2 + n + i] - b[2 + n + i])); done
  R_IDLE=$((R_WALL * $(nproc) - R_CPU - v))
  echo "   volunteer CPU ${v} ms, idle core time ${R_IDLE} ms" >&2
}

# longest_jobs: the build's three longest compiles as the volunteers logged them (distccd's time:, which
# starts when the job's request has arrived), with the volunteer and how many jobs each volunteer ran, on
# stderr: a build's tail is usually its largest unit, and where it ran and how long it took shows why.
# Reads the volunteer logs from the line counts in log_marks (taken before the build).
longest_jobs() {
  local i counts=
  for i in "${!VOL_LOG[@]}"; do
    counts+="${counts:+ / }$(tail -n +"$((${log_marks[i]:-0} + 1))" "${VOL_LOG[i]}" | grep -c COMPILE_OK || true)"
  done
  for i in "${!VOL_LOG[@]}"; do
    tail -n +"$((${log_marks[i]:-0} + 1))" "${VOL_LOG[i]}" \
      | sed -n "s/.*COMPILE_OK.* time:\([0-9]*\)ms .* \([^ ]*\)\$/\1 \2 volunteer$i/p"
  done | sort -rn | head -3 | awk -v c="$counts" '{ s = s (s ? ", " : "") $2 " " $1 " ms on " $3 } END { print "   longest jobs: " s "; jobs per volunteer " c }' >&2
}

# rounds_won KEY STOCK_KEY: " (faster in K of N)", how many of the client's warm builds took less wall time
# than distcc 3.4's build of the same round (rounds are interleaved, so each pair ran under the same load);
# empty with fewer than two warm rounds. A mean ratio can hide one slow round; the count shows it.
rounds_won() {
  local -a o=(${WARM[$1]:-}) s=(${WARM[$2]:-})
  local n=$((${#o[@]} < ${#s[@]} ? ${#o[@]} : ${#s[@]})) i k=0
  ((n >= 2)) || return 0
  for ((i = 0; i < n; i++)); do ((${o[i]%%:*} < ${s[i]%%:*})) && k=$((k + 1)); done
  echo " (faster in $k of $n)"
}

ratio_row() {   # ratio_row WORKLOAD SETTING [CLIENT]: CLIENT (default ours) against distcc 3.4
  local c=${3:-ours}
  [ -n "${RAW[$1|$2|stock]:-}" ] && [ -n "${RAW[$1|$2|$c]:-}" ] || return 0
  local -a s=(${RAW[$1|$2|stock]}) o=(${RAW[$1|$2|$c]}) fs=(${FIRST[$1|$2|stock]:-}) fo=(${FIRST[$1|$2|$c]:-})
  local first=
  ((${#fs[@]} && ${#fo[@]})) && first="$(ratio "${fo[0]}" "${fs[0]}") / $(ratio "${fo[1]}" "${fs[1]}")"
  echo "| $2 | **ratio $(client_label "$c") / distcc 3.4** | $(ratio "${o[0]}" "${s[0]}")$(rounds_won "$1|$2|$c" "$1|$2|stock") | $(ratio "${o[1]}" "${s[1]}") | $(ratio "${o[2]}" "${s[2]}") | | $(ratio "${o[3]}" "${s[3]}") | | | $first |"
}

render_section() {
  local w st c
  cat <<MD
## End-to-end builds of real workloads (\`scripts/bench/workloads.sh$([ "$quick" = 1 ] && echo " --quick")\`)

The same clean build, run locally and through each client against the same $nvol volunteers
($(volunteer_label), \`--jobs $vjobs\` each; \`DISTCC_HOSTS\` lists only them, so the client compiles locally
only when it falls back), with \`make -j$((nvol * vjobs + 2))\` through the clients' masquerade directories
(\`/usr/lib/distcc\` for distcc 3.4, \`dist/masquerade\` for jdistcc) and \`make -j$(nproc)\` locally.
Each client keeps one \`DISTCC_DIR\` per setting, warmed before the first measurement by one distributed
compile (jdistcc: two, the first starting the resident hub, the second sent through it once it is up).
Each client builds each workload several times per setting ($(for w in "${workloads[@]}"; do printf '%s %s, ' "$w" "$(workload_rounds "$w")"; done | sed 's/, $//')), rounds interleaved. Wall, client CPU and idle core time are the mean
of the builds after the first (jdistcc's hub has served the earlier ones, as a resident process does between a
developer's builds), the other columns the last build's; the last column is the first build (jdistcc's first
after its hub started: its JIT warm-up is in there).
jdistcc runs with its defaults, so gcc jobs of large translation units (ext4's; not lua's) get a partial cpp (\`gcc -E -fdirectives-only\` here, the
macros expanded by the volunteer: client/README.md); the row \`JDISTCC_CPP=full\` (loopback only, unless
\`--clients\` names it) is jdistcc with distcc's full cpp, to show what the rest of the client does alone.
Client CPU is user+sys of the build's whole process tree (make, preprocessor, client, linker) plus any
resident client process (jdistcc's hub), from the client's own cgroup;
volunteer CPU is user+sys of all volunteers' distccd process trees including their compilers
($(cg_available && echo "each tree in its own cgroup" || echo "from /proc/PID/stat, no cgroups")).
Idle core time is cores × wall − client CPU − volunteer CPU: with every process of the build on this machine's
cores, the CPU a build's shape and its client's scheduling leave unused (lua's ends with its largest unit,
\`lvm.c\`, compiling alone), apart from how fast the shared machine happened to run.
Wire bytes are IP bytes (headers included) counted on the links' interfaces. Objects are compared with the local build's.
The volunteers share the client machine's $(nproc) cores (in \`pinned\` they have one of them to themselves), so wall time here shows overheads, not a speed-up;
load average before/after: $load0 / $load1.

Settings:
MD
  for st in "${settings[@]}"; do
    case $st in
      loopback) echo "- **loopback**: volunteers on 127.0.0.1, free ports, the client beside them${NOTE[$st]:+ (${NOTE[$st]})}." ;;
      lan) echo "- **lan**: one network namespace per volunteer and one for the client, bridged; wire bytes are to / from the volunteers; hosts use \`,lzo\` as one would on a LAN${NOTE[$st]:+ (${NOTE[$st]})}." ;;
      slow) echo "- **slow**: as loopback, but the first volunteer in \`DISTCC_HOSTS\` (the one listed first under jobs per volunteer) is capped at 20% of one CPU (cgroup CPU quota)${NOTE[$st]:+ (${NOTE[$st]})}." ;;
      pinned) echo "- **pinned**: as loopback, but client and volunteers no longer share cores: everything the client runs (make, cpp, the client, jdistcc's hub) is pinned to CPU 0, and every volunteer to CPU 1, capped at $((100 / nvol))% of it (cgroup CPU quota), so each volunteer is a small machine of its own: the setting closest to real volunteers this $(nproc)-core machine can give. Here scheduling, not CPU contention, decides the wall time${NOTE[$st]:+ (${NOTE[$st]})}." ;;
      killed) echo "- **killed**: as loopback, but the first volunteer is killed (its whole process tree at once, SIGKILL) as soon as it has compiled one job of the build, so it dies with jobs in flight and refuses connections after; it is restarted on a new port before the next build (the others and the clients keep running)${NOTE[$st]:+ (${NOTE[$st]})}. The build must still succeed with objects equal to the local build's." ;;
    esac
  done
  for w in "${workloads[@]}"; do
    echo; echo "### $(workload_title "$w")"; echo
    echo "| setting | client | wall s | client CPU s | volunteer CPU s | idle core s | wire MiB | jobs per volunteer | objects = local | first build: wall s / client CPU s |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    echo "${ROW[$w|-|local]:-| — | local | n/a | | | | | | | |}"
    for st in "${settings[@]}"; do
      for c in "${clients[@]}"; do [ -n "${ROW[$w|$st|$c]:-}" ] && echo "${ROW[$w|$st|$c]}"; done
      ratio_row "$w" "$st"
      ratio_row "$w" "$st" ours-fullcpp
      ratio_row "$w" "$st" ours-noroom
    done
  done
  echo
  echo "Below 1.0 is better for jdistcc in every ratio column. \"Faster in K of N\" after a wall ratio counts the warm rounds in which that client's build took less wall time than distcc 3.4's build of the same round (the two ran one after the other)."
}

volunteer_label() { case $VOL_SERVER in stock) echo "Debian's distccd 3.4" ;; ours) echo "jdistcc's distccd" ;; esac; }
