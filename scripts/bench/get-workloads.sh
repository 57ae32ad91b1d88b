#!/usr/bin/env bash
# Fetches the end-to-end benchmark workloads from Debian's packages, by package name, into DIR (idempotent).
#   lua  : source package lua5.4, unpacked without Debian's patches into DIR/lua (about 34 compile jobs).
#          Built with: make -C DIR/lua/src -jN linux
#   ext4 : binary package linux-source-6.1, unpacked into DIR/linux, configured (x86_64 defconfig) and prepared
#          out of tree in DIR/kbuild; the workload is fs/ext4 (about 35 jobs, ~3 MiB preprocessed each).
#          Built with: rm -rf DIR/kbuild/fs/ext4 && make -C DIR/linux O=DIR/kbuild -jN fs/ext4/
# Usage: get-workloads.sh DIR [lua] [ext4]   (default: both). Needs root for apt-get.
# Source packages come through a private apt state directory whose deb-src entries mirror the machine's own
# deb entries, so the system's apt configuration is read but never changed.
set -euo pipefail
dir=${1:?usage: get-workloads.sh DIR [lua] [ext4]}; shift
wanted=("$@"); ((${#wanted[@]})) || wanted=(lua ext4)
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

install_missing() {
  local p missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# apt options that point every piece of state into DIR/.apt and read only our generated deb-src list.
private_apt_options() {
  local state=$dir/.apt f
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/sources"
  : > "$state/sources/src.sources"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] && sed 's/^Types:.*\bdeb\b.*$/Types: deb-src/' "$f" >> "$state/sources/src.sources"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$state/sources.list" || true
  fi
  APT_OPTS=(-o "Dir::Etc::SourceParts=$state/sources" -o "Dir::Etc::SourceList=$state/sources.list"
            -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache")
  touch "$state/sources.list"
}

fetch_lua() {
  [ -f "$dir/lua/src/Makefile" ] && return 0
  install_missing dpkg-dev make gcc
  private_apt_options
  apt-get "${APT_OPTS[@]}" -qq update
  rm -rf "$dir/lua" "$dir"/lua5.4_*
  (cd "$dir" && apt-get "${APT_OPTS[@]}" -qq --download-only source lua5.4)
  (cd "$dir" && dpkg-source --skip-patches -x "$(ls lua5.4_*.dsc | head -1)" lua >/dev/null)
  echo "lua: $dir/lua" >&2
}

fetch_ext4() {
  [ -f "$dir/kbuild/.config" ] && [ -f "$dir/kbuild/include/generated/autoconf.h" ] && return 0
  install_missing make gcc bc flex bison libelf-dev libssl-dev linux-source-6.1
  rm -rf "$dir/linux" "$dir/kbuild" "$dir/linux-source-6.1"
  tar -xf /usr/src/linux-source-6.1.tar.xz -C "$dir"
  mv "$dir/linux-source-6.1" "$dir/linux"
  make -s -C "$dir/linux" O="$dir/kbuild" defconfig >/dev/null
  make -s -C "$dir/linux" O="$dir/kbuild" -j"$(nproc)" prepare >/dev/null
  echo "ext4: $dir/linux (O=$dir/kbuild)" >&2
}

for w in "${wanted[@]}"; do
  case $w in
    lua) fetch_lua ;;
    ext4) fetch_ext4 ;;
    *) echo "unknown workload: $w (known: lua ext4)" >&2; exit 2 ;;
  esac
done
