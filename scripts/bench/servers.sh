# Starting and stopping the two servers under test (sourced). Both listen on 127.0.0.1 only, on free ports,
# and are stopped by PID.
STOCK_PID=; OURS_PID=
# The stock distccd drops root privileges before it opens its log or compiles: give both servers a
# world-writable (sticky) directory for their TMPDIR and logs.
SRV_DIR=$(mktemp -d); chmod 1777 "$SRV_DIR"
start_stock_distccd() {   # sets STOCK_PORT
  STOCK_PORT=$(free_port)
  TMPDIR=$SRV_DIR /usr/bin/distccd --no-detach --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$STOCK_PORT" \
    --jobs "${1:-4}" --log-file "$SRV_DIR/stock-distccd.log" --enable-tcp-insecure &
  STOCK_PID=$!
  wait_port "$STOCK_PORT"
}
start_our_distccd() {     # sets OURS_PORT
  OURS_PORT=$(free_port)
  TMPDIR=$SRV_DIR "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/dist/bin/distccd" --no-detach --daemon \
    --allow 127.0.0.1 --listen 127.0.0.1 --port "$OURS_PORT" \
    --jobs "${1:-4}" --log-file "$SRV_DIR/our-distccd.log" --enable-tcp-insecure &
  OURS_PID=$!
  wait_port "$OURS_PORT"
}
stop_servers() {
  local p
  for p in $STOCK_PID $OURS_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  STOCK_PID=; OURS_PID=
}
trap stop_servers EXIT
