# CPU accounting and CPU limits for benchmark process trees (sourced, not run).
# With root, each measured tree (a build's make, one volunteer's distccd) runs in its own cgroup: the v2
# cpu.stat of that group counts every process that ever ran in it, including compilers that have exited.
# A CPU cap uses cgroup v2 cpu.max when the cpu controller can be delegated, else the v1 cpu hierarchy's CFS
# quota. Without cgroups the callers fall back to getrusage-style figures (bash `times`, /proc/PID/stat).
# Everything created here lives under names with this shell's PID and is removed by cg_cleanup.

CG_BASE=; CG_V1CPU=; CG_V2CPU=0
declare -A CG_PROCS=()   # group name -> the cgroup.procs files a process joins

cg_init() {
  local v2 v1
  v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  if [ -n "$v2" ] && [ -w "$v2" ] && mkdir "$v2/jdistcc-bench.$$" 2>/dev/null; then
    CG_BASE=$v2/jdistcc-bench.$$
    if grep -qw cpu "$v2/cgroup.subtree_control" 2>/dev/null \
       && echo +cpu > "$CG_BASE/cgroup.subtree_control" 2>/dev/null; then CG_V2CPU=1; fi
  fi
  v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ { print $2; exit }' /proc/mounts)
  if [ "$CG_V2CPU" = 0 ] && [ -n "$v1" ] && [ -w "$v1" ]; then CG_V1CPU=$v1; fi
}

cg_available() { [ -n "$CG_BASE" ]; }

# cg_new NAME [CPU_PERCENT]: a fresh group; with CPU_PERCENT, its processes share that much of one CPU.
cg_new() {
  local name=$1 pct=${2:-} procs
  cg_available || return 1
  mkdir "$CG_BASE/$name"; procs=$CG_BASE/$name/cgroup.procs
  if [ -n "$pct" ]; then
    if [ "$CG_V2CPU" = 1 ]; then
      echo "$((pct * 1000)) 100000" > "$CG_BASE/$name/cpu.max"
    elif [ -n "$CG_V1CPU" ]; then
      mkdir "$CG_V1CPU/jdistcc-bench.$$-$name"
      echo 100000 > "$CG_V1CPU/jdistcc-bench.$$-$name/cpu.cfs_period_us"
      echo "$((pct * 1000))" > "$CG_V1CPU/jdistcc-bench.$$-$name/cpu.cfs_quota_us"
      procs="$procs $CG_V1CPU/jdistcc-bench.$$-$name/cgroup.procs"
    else
      echo "no cgroup cpu controller to cap CPU with" >&2; return 1
    fi
  fi
  CG_PROCS[$name]=$procs
}

# cg_can_limit: whether cg_new NAME PERCENT can cap CPU here.
cg_can_limit() { cg_available && { [ "$CG_V2CPU" = 1 ] || [ -n "$CG_V1CPU" ]; }; }

# cg_wrap NAME: sets CG_WRAP to a command prefix that moves itself into group NAME and then execs the rest,
# so the PID the caller sees (e.g. $!) is the measured program's own PID.
cg_wrap() {
  # shellcheck disable=SC2016
  CG_WRAP=(bash -c 'for f in $1; do echo $$ > "$f"; done; shift; exec "$@"' cg-wrap "${CG_PROCS[$1]}")
}

# cg_cpu_ms NAME: user+sys milliseconds of everything that ran in group NAME so far.
cg_cpu_ms() { awk '$1 == "usage_usec" { printf "%d\n", $2 / 1000 }' "$CG_BASE/$1/cpu.stat"; }

# cg_remove NAME: deletes group NAME (its processes must have been stopped; waits up to 10 s for them to exit).
cg_remove() {
  local d
  for d in "$CG_BASE/$1" ${CG_V1CPU:+"$CG_V1CPU/jdistcc-bench.$$-$1"}; do
    [ -d "$d" ] || continue
    for _ in $(seq 50); do rmdir "$d" 2>/dev/null && break; sleep 0.2; done
  done
  unset "CG_PROCS[$1]"
}

# cg_cleanup: removes every group (their processes must have been stopped by PID before).
cg_cleanup() {
  local d
  [ -n "$CG_BASE" ] || return 0
  for d in "$CG_BASE"/*/ "$CG_BASE/" ${CG_V1CPU:+"$CG_V1CPU"/jdistcc-bench.$$-*/}; do
    [ -d "$d" ] || continue
    for _ in $(seq 50); do rmdir "$d" 2>/dev/null && break; sleep 0.2; done
    [ -d "$d" ] && echo "warning: cgroup $d still busy: $(tr '\n' ' ' < "$d/cgroup.procs")" >&2
  done
  CG_BASE=
}

# proc_tree_cpu_ms PID: user+sys ms of PID, its live descendants and every child they reaped
# (/proc/PID/stat fields 14-17): the fallback for a long-running server without cgroups.
proc_tree_cpu_ms() {
  local tick; tick=$(getconf CLK_TCK)
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" -v tick="$tick" '
    { pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " "); ppid[pid] = f[2]; t[pid] = f[12] + f[13] + f[14] + f[15] }
    END { n = 0; for (p in t) { q = p; while (q != "" && q != 0 && q != root) q = ppid[q]; if (q == root) n += t[p] }
          printf "%d\n", n * 1000 / tick }'
}
