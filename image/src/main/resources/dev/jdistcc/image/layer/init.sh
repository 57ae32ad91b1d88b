#!/bin/sh
# PID 1 of the jdistcc volunteer appliance, run by busybox sh from the initramfs.
# It must never exit (the kernel would panic): every failure is reported on the console with a
# "JDISTCC:" marker line and retried. Settings from the image plan are in /etc/jdistcc/appliance.conf;
# per-boot settings come from the kernel command line (jdistcc.hub= jdistcc.key= jdistcc.allow= jdistcc.jobs=).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
umask 022

# Stage 1: the kernel refuses pivot_root while / is the initial rootfs, and bubblewrap (the compile
# sandbox) needs pivot_root. So copy the tree onto a tmpfs and switch_root into it; switch_root frees
# the old copy. /.tmpfs-root marks the second stage.
if [ ! -e /.tmpfs-root ]; then
    mkdir -p /newroot
    mount -t tmpfs -o mode=0755,size=75% tmpfs /newroot
    for entry in /* /.[!.]*; do
        case "$entry" in /newroot|/proc|/sys|/dev|'/.[!.]*') continue ;; esac
        cp -a "$entry" /newroot/
    done
    mkdir -p /newroot/proc /newroot/sys /newroot/dev
    : > /newroot/.tmpfs-root
    exec switch_root /newroot /init
    echo "JDISTCC: error: switch_root to tmpfs failed; continuing on the initial rootfs (no sandbox)"
fi

. /etc/jdistcc/appliance.conf

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /run/jdistcc
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
chmod 1777 /tmp
dmesg -n 1    # keep kernel chatter off the status console; `dmesg` still has it

CMDLINE=$(cat /proc/cmdline)
# When the console is a serial port, also show the status on the screen (tty1).
SCREEN=
case " $CMDLINE " in *" console=ttyS"*) [ -c /dev/tty1 ] && SCREEN=/dev/tty1 ;; esac

say() {
    echo "JDISTCC: $*"
    [ -n "$SCREEN" ] && echo "JDISTCC: $*" > "$SCREEN" 2>/dev/null
    return 0
}

# --- configuration from the kernel command line ------------------------------------------------
# Dotted keys are not passed to init's argv or environment (the kernel treats them as module
# parameters), so read /proc/cmdline. Globbing is off while splitting it.
HUB= KEY= ALLOW= JOBS= DEBUG_SHELL=
set -f
for word in $CMDLINE; do
    case "$word" in
        jdistcc.hub=*) HUB=${word#*=} ;;
        jdistcc.key=*) KEY=${word#*=} ;;
        jdistcc.allow=*) ALLOW=${word#*=} ;;
        jdistcc.jobs=*) JOBS=${word#*=} ;;
        jdistcc.shell=1) DEBUG_SHELL=1 ;;
    esac
done
set +f
CPUS=$(nproc)
uptime() { cut -d' ' -f1 /proc/uptime; }
say "boot image=$IMAGE_NAME kernel=$(uname -r) cpus=$CPUS mem=$(awk '/MemTotal/ {print int($2/1024) "MiB"}' /proc/meminfo) uptime=$(uptime)" \
    "secureboot=$(dmesg | grep -q 'Secure boot enabled' && echo on || echo off)"

case "$HUB" in
    "") say "config warning: no jdistcc.hub= on the kernel command line; the server cannot fetch toolchains." \
            "Add jdistcc.hub=http://<client-address>:<port>/ at the boot prompt." ;;
    http://*|https://*) ;;
    *) say "config error: jdistcc.hub=$HUB is not an http:// or https:// URL; ignoring it"; HUB= ;;
esac
case "$KEY" in
    "") say "config warning: no jdistcc.key= (the hub's public key, from jdistcc-hub key); toolchains cannot be verified" ;;
    ed25519:?*) ;;
    *) say "config error: jdistcc.key=$KEY is not an ed25519:… public key (print it with jdistcc-hub key); ignoring it"
       KEY= ;;
esac
case "$JOBS" in
    "") JOBS=$CPUS ;;
    *[!0-9]*|0) say "config error: jdistcc.jobs=$JOBS is not a positive number; using $CPUS"; JOBS=$CPUS ;;
esac
if [ -n "$HUB" ] && [ -z "$KEY" ]; then
    say "config error: jdistcc.hub= needs jdistcc.key=ed25519:… to verify the hub's toolchains; not using the hub"
    HUB=
fi
ALLOW=$(echo "$ALLOW" | tr ',' ' ')    # the server command gets a space-separated list
# Fetched toolchains are kept on the tmpfs root, in RAM: let them take at most half of it.
export JDISTCC_CACHE_BUDGET="$(awk '/MemTotal/ {print int($2/2048) "M"}' /proc/meminfo)"
export JDISTCC_HUB="$HUB" JDISTCC_KEY="$KEY" JDISTCC_ALLOW="$ALLOW" JDISTCC_JOBS="$JOBS" JDISTCC_PORT="$SERVER_PORT"
say "config hub=${HUB:-none} key=$([ -n "$KEY" ] && echo set || echo unset) allow=${ALLOW:-private-networks}" \
    "jobs=$JOBS port=$SERVER_PORT"

hostname "$APPLIANCE_HOSTNAME"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost\n' "$APPLIANCE_HOSTNAME" > /etc/hosts
[ -n "$DEBUG_SHELL" ] && { say "debug shell on the console (jdistcc.shell=1)"; setsid cttyhack sh & }

# --- drivers: coldplug by modalias, until a pass loads nothing new ----------------------------
loaded() { wc -l < /proc/modules; }
before=-1
for pass in 1 2 3 4; do
    now=$(loaded)
    [ "$now" = "$before" ] && break
    before=$now
    cat /sys/bus/pci/devices/*/modalias /sys/bus/virtio/devices/*/modalias \
        /sys/bus/usb/devices/*/modalias 2>/dev/null | sort -u | xargs -r modprobe -q -a 2>/dev/null
    sleep 0.5
done
say "drivers $(awk '{print $1}' /proc/modules | sort | tr '\n' ' ')"

# --- network: DHCP on every link with carrier ---------------------------------------------------
ip link set lo up
links() { for d in /sys/class/net/*; do n=${d##*/}; [ "$n" != lo ] && echo "$n"; done; }
address() { ip -4 -o addr show scope global | awk '{split($4, a, "/"); print a[1]; exit}'; }
DHCP_STARTED=" "
wait_network() {
    tries=0
    while :; do
        for n in $(links); do
            ip link set "$n" up 2>/dev/null
            if [ "$(cat /sys/class/net/$n/carrier 2>/dev/null)" = 1 ]; then
                case "$DHCP_STARTED" in *" $n "*) ;; *)
                    DHCP_STARTED="$DHCP_STARTED$n "
                    udhcpc -b -i "$n" -t 5 -T 2 -A 10 -s /usr/share/udhcpc/default.script \
                        -x hostname:"$APPLIANCE_HOSTNAME" > /dev/console 2>&1 &
                    ;;
                esac
            fi
        done
        ADDRESS=$(address)
        [ -n "$ADDRESS" ] && return 0
        tries=$((tries + 1))
        if [ $((tries % 50)) = 0 ]; then
            if [ "$DHCP_STARTED" = " " ]; then
                say "network: no link with carrier on: $(links | tr '\n' ' ')(check the cable); still waiting"
            else
                say "network: no DHCP lease yet on:$DHCP_STARTED; still trying"
            fi
        fi
        sleep 0.2
    done
}
wait_network
# A stable volunteer id for the hub: the MAC of the interface that got the address.
IFACE=$(ip -4 -o addr show scope global | awk '{print $2; exit}')
export JDISTCC_ID="$APPLIANCE_HOSTNAME-$(tr -d ':' < "/sys/class/net/$IFACE/address")"
say "network address=$ADDRESS interface=$IFACE id=$JDISTCC_ID"

# --- hub reachability: reported, retried, never fatal --------------------------------------------
# nc, not wget: busybox's static wget crashes resolving names without NSS modules. An http:// hub must
# answer a HEAD request with an HTTP status line (any status): a port that accepts and closes, or
# something that is not an HTTP server, is "unreachable". For https:// a TCP connect is all we check.
hub_endpoint() {
    rest=${HUB#*://}
    hostport=${rest%%/*}
    hostport=${hostport##*@}
    case "$HUB" in https://*) port=443 ;; *) port=80 ;; esac
    case "$hostport" in
        \[*\]:*) host=${hostport%%]:*}; host=${host#[}; port=${hostport##*]:} ;;
        \[*\]) host=${hostport#[}; host=${host%]} ;;
        *:*) host=${hostport%:*}; port=${hostport##*:} ;;
        *) host=$hostport ;;
    esac
    echo "$host $port"
}
hub_monitor() {
    set -- $(hub_endpoint)
    last=
    while :; do
        case "$HUB" in
            https://*)
                if err=$(timeout 10 nc -w 5 "$1" "$2" < /dev/null 2>&1); then state=reachable
                else state="unreachable (${err:-no answer})"; fi ;;
            *)
                answer=$(printf 'HEAD / HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" | timeout 10 nc -w 5 "$1" "$2" 2>&1)
                case "$answer" in
                    HTTP/*) state=reachable ;;
                    "") state="unreachable (no HTTP answer)" ;;
                    *) state="unreachable ($(echo "$answer" | head -n 1 | cut -c1-80))" ;;
                esac ;;
        esac
        if [ "$state" != "$last" ]; then
            case "$state" in
                reachable) say "hub reachable url=$HUB" ;;
                *) say "hub $state url=$HUB; retrying every 10 s" ;;
            esac
            last=$state
        fi
        case "$state" in reachable) sleep 60 ;; *) sleep 10 ;; esac
    done
}
[ -n "$HUB" ] && hub_monitor &

# --- memory: say so when the kernel kills a process for lack of RAM (kernel messages are off) ----
oom_kills() {
    while read -r k v; do [ "$k" = oom_kill ] && { echo "$v"; return; }; done < /proc/vmstat
    echo -1
}
oom_monitor() {
    last=$(oom_kills)
    [ "$last" = -1 ] && return 0
    while sleep 5; do
        now=$(oom_kills)
        if [ "$now" != "$last" ]; then
            say "out of memory: the kernel killed $((now - last)) process(es), $now since boot, last:" \
                "$(dmesg | grep -o 'Killed process [0-9]* ([^)]*)' | tail -n 1);" \
                "give the machine more RAM or lower jdistcc.jobs= (now $JOBS)"
            last=$now
        fi
    done
}
oom_monitor &

# --- the server, as an unprivileged user, restarted whenever it dies --------------------------
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
listening() {
    hex=$(printf ':%04X' "$SERVER_PORT")
    awk -v p="$hex" '$2 ~ p"$" && $4 == "0A" { found = 1 } END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
status_screen() {
    [ -n "$SCREEN" ] || return 0
    {
        printf '\033[2J\033[H'
        echo "  jdistcc volunteer appliance ($IMAGE_NAME)"
        echo
        echo "  address   $ADDRESS   port $SERVER_PORT"
        echo "  hub       ${HUB:-not set (add jdistcc.hub= at the boot prompt)}"
        echo "  jobs      $JOBS     allow ${ALLOW:-private networks}"
        echo "  server    $1"
        echo
    } > "$SCREEN" 2>/dev/null
}
mkdir -p "/home/$SERVER_USER"
chown "$SERVER_UID:$SERVER_UID" "/home/$SERVER_USER"
# The server runs fetched compilers inside bubblewrap as the unprivileged user: check it works here.
if err=$(su -s /bin/sh "$SERVER_USER" -c \
        'bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/true' < /dev/null 2>&1); then
    say "sandbox ok (bubblewrap as $SERVER_USER)"
else
    say "sandbox warning: bubblewrap fails as $SERVER_USER: $err; fetched toolchains cannot run"
fi
delay=$RESTART_DELAY
attempt=0
while :; do
    attempt=$((attempt + 1))
    say "starting server attempt=$attempt uptime=$(uptime)"
    HOME="/home/$SERVER_USER" su -p -s /bin/sh "$SERVER_USER" -c /etc/jdistcc/server.sh < /dev/null > /dev/console 2>&1 &
    pid=$!
    ready=0
    while alive "$pid"; do
        if listening; then
            ready=1
            uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
            say "ready address=$ADDRESS port=$SERVER_PORT pid=$pid uid=$uid uptime=$(uptime)" \
                "mem-available=$(awk '/MemAvailable/ {print int($2/1024) "MiB"}' /proc/meminfo)"
            status_screen "running (pid $pid)"
            break
        fi
        sleep 0.2
    done
    wait "$pid"
    status=$?
    [ "$ready" = 1 ] && delay=$RESTART_DELAY
    say "server exited status=$status; restarting in $delay s"
    status_screen "exited with status $status; restarting in $delay s"
    sleep "$delay"
    if [ "$ready" = 0 ]; then
        delay=$((delay * 2))
        [ "$delay" -gt 60 ] && delay=60
    fi
done
