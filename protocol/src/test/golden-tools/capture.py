#!/usr/bin/env python3
"""Records real distcc 3.4 exchanges for the protocol module's golden tests.

A recording TCP relay sits between the Debian `distcc` client and a Debian `distccd` started here, both on
loopback ephemeral ports, and stores each connection's two byte streams as
    <out>/<case>.request.bin   (client -> server)
    <out>/<case>.response.bin  (server -> client)
Usage: python3 capture.py [OUT_DIR]   (default: ../resources/golden next to this script)
Needs: distcc (Debian package, 3.4), gcc. Run as any user; distccd drops to its own user when run as root.
The resulting files are committed; this script is only re-run when the captures must be refreshed.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "golden")
# Fixed paths, so that CDIR and NAME values (and the object's .file symbol) are the same on every run.
WORK = "/tmp/jdistcc-golden/src"
# The include-server stub root must be exactly three path components deep (distcc drops three).
STUB_ROOT = "/tmp/jdistcc-golden/mirror"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, deadline_s=20):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("distccd exited early with %d" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("distccd did not listen on %d" % port)


class Relay:
    """Accepts one connection at a time, forwards it upstream and keeps both directions' bytes."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.sessions = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            record = {"request": bytearray(), "response": bytearray(), "done": threading.Event()}
            with self.lock:
                self.sessions.append(record)
            t1 = threading.Thread(target=self._pump, args=(client, upstream, record["request"]), daemon=True)
            t2 = threading.Thread(target=self._pump, args=(upstream, client, record["response"]), daemon=True)
            t1.start()
            t2.start()
            threading.Thread(target=self._finish, args=(t1, t2, client, upstream, record), daemon=True).start()

    @staticmethod
    def _pump(src, dst, buf):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                buf.extend(data)
                dst.sendall(data)
        except OSError:
            pass
        # Pass the close on only once one side is done (distccd treats EOF during a compile as an abort,
        # but the client never half-closes, so this only happens at the very end).
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    @staticmethod
    def _finish(t1, t2, a, b, record):
        t1.join()
        t2.join()
        a.close()
        b.close()
        record["done"].set()

    def take_one(self, timeout_s=60):
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            with self.lock:
                if self.sessions:
                    rec = self.sessions.pop(0)
                    break
            time.sleep(0.05)
        else:
            raise SystemExit("no connection reached the relay")
        if not rec["done"].wait(timeout_s):
            raise SystemExit("connection did not finish")
        return bytes(rec["request"]), bytes(rec["response"])


def lzo_literal_only(data):
    """A valid LZO1X stream made of one literal run and the end marker (no matches): enough for stub files."""
    if not data:
        return b""
    n = len(data)
    if n <= 238:
        head = bytes([17 + n])
    else:
        rest = n - 3 - 15
        zeros, last = divmod(rest, 255)
        if last == 0:
            zeros, last = zeros - 1, 255
        head = b"\x00" + b"\x00" * zeros + bytes([last])
    return head + data + b"\x11\x00\x00"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def run_distcc(relay, name, hosts, argv, env_extra=None, expect_rc=0):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISTCC")}
    for k in ("INCLUDE_SERVER_PORT", "INCLUDE_SERVER_STUB", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH"):
        env.pop(k, None)
    env.update({
        "DISTCC_HOSTS": hosts % relay.port,
        "DISTCC_DIR": "/tmp/jdistcc-golden/distcc-dir",
        "DISTCC_SKIP_LOCAL_RETRY": "1",  # a remote compile error stays final: exactly one connection per case
        "DISTCC_FALLBACK": "0",
        "LC_ALL": "C",
    })
    env.update(env_extra or {})
    res = subprocess.run(["distcc"] + argv, cwd=WORK, env=env, capture_output=True, timeout=120)
    if res.returncode != expect_rc:
        raise SystemExit("%s: distcc exited %d, expected %d\n%s" % (name, res.returncode, expect_rc,
                                                                   res.stderr.decode(errors="replace")))
    req, resp = relay.take_one()
    for part, data in (("request", req), ("response", resp)):
        with open(os.path.join(OUT, "%s.%s.bin" % (name, part)), "wb") as f:
            f.write(data)
    print("%-22s request %5d bytes, response %5d bytes" % (name, len(req), len(resp)))


def main():
    shutil.rmtree("/tmp/jdistcc-golden", ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    write(WORK + "/hello.c", '#include "link.h"\nint main(void) { return ANSWER; }\n')
    write(WORK + "/real.h", "#define ANSWER 42\n")
    os.symlink("real.h", WORK + "/link.h")
    write(WORK + "/bad.c", "int x = ;\n")
    write(WORK + "/empty.i", "")
    # The include-server stub: LZO copies of the files under STUB_ROOT + their absolute path, a symlink as a
    # symlink, and the empty directory-forcing file the real include server adds for the source's directory.
    mirror = STUB_ROOT + WORK
    os.makedirs(mirror)
    for src in ("hello.c", "real.h"):
        with open(WORK + "/" + src, "rb") as f, open(mirror + "/" + src + ".lzo", "wb") as g:
            g.write(lzo_literal_only(f.read()))
    os.symlink("real.h", mirror + "/link.h")
    open(mirror + "/forcing_technique_271828.lzo", "wb").close()
    stub = " ".join(mirror + "/" + n for n in ("hello.c.lzo", "link.h", "real.h.lzo", "forcing_technique_271828.lzo"))
    os.makedirs("/tmp/jdistcc-golden/distcc-dir")
    os.chmod("/tmp/jdistcc-golden", 0o755)

    port = free_port()
    log = open("/tmp/jdistcc-golden/distccd.log", "wb")
    daemon = subprocess.Popen(["distccd", "--daemon", "--no-detach", "--log-stderr", "--allow", "127.0.0.1",
                               "--listen", "127.0.0.1", "--port", str(port), "--jobs", "1"],
                              stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_listening(port, daemon)
        relay = Relay(port)
        v1, v2, v3 = "127.0.0.1:%d", "127.0.0.1:%d,lzo", "127.0.0.1:%d,lzo,cpp"
        run_distcc(relay, "v1-hello", v1, ["gcc", "-c", "hello.c", "-o", "hello.o"])
        run_distcc(relay, "v2-hello", v2, ["gcc", "-c", "hello.c", "-o", "hello.o"])
        run_distcc(relay, "v1-compile-error", v1, ["gcc", "-c", "bad.c", "-o", "bad.o"], expect_rc=1)
        run_distcc(relay, "v2-compile-error", v2, ["gcc", "-c", "bad.c", "-o", "bad.o"], expect_rc=1)
        run_distcc(relay, "v1-empty-doti", v1, ["gcc", "-c", "empty.i", "-o", "empty.o"])
        run_distcc(relay, "v2-empty-doti", v2, ["gcc", "-c", "empty.i", "-o", "empty.o"])
        pump = {"INCLUDE_SERVER_STUB": stub, "INCLUDE_SERVER_PORT": "/tmp/jdistcc-golden/include-server/socket"}
        run_distcc(relay, "v3-pump", v3, ["gcc", "-c", "hello.c", "-o", "hello.o"], env_extra=pump)
    finally:
        # SIGTERM to the master by its PID; it passes the signal on to its preforked children (distccd's
        # dsignal.c sends it to its own process group).
        daemon.terminate()
        daemon.wait(10)
        log.close()


if __name__ == "__main__":
    main()
