package dev.jdistcc.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The monitor record distccmon-text reads (reference §5): {@code $DISTCC_DIR/state/binstate_<pid>}, the raw
 * x86-64 {@code struct dcc_task_state}, 296 bytes little-endian, rewritten from the start on every phase
 * change and deleted when the job ends. Failures to write it never affect the compile.
 */
public final class StateFile implements AutoCloseable {
    static final int SIZE = 296;
    static final long MAGIC = 0x44494800L;
    static final int NAME_BYTES = 128;

    /** dcc_phase, in distcc's numbering. */
    public enum Phase { STARTUP, BLOCKED, CONNECT, CPP, SEND, COMPILE, RECEIVE, DONE }

    private final Path file;
    private final long pid;
    private String input = "";
    private String host = "";
    private int slot;

    public StateFile(Path stateDir, long pid) {
        this.file = stateDir.resolve("binstate_" + pid);
        this.pid = pid;
    }

    public Path file() {
        return file;
    }

    /** Sets the job's input (basename is shown) and the host ("localhost" for local work) and slot. */
    public void where(String inputFile, String hostName, int slotNumber) {
        this.input = inputFile == null ? "" : FileNames.basename(inputFile);
        this.host = hostName == null ? "" : hostName;
        this.slot = slotNumber;
    }

    public void phase(Phase p) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(encode(pid, input, host, slot, p));
            }
        } catch (IOException | RuntimeException e) {
            // monitoring is best effort, as in distcc
        }
    }

    static ByteBuffer encode(long pid, String input, String host, int slot, Phase p) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(SIZE).putLong(MAGIC).putLong(pid);
        putName(b, input);
        putName(b, host);
        b.putInt(slot).putInt(p.ordinal()).putLong(0);
        return b.flip();
    }

    private static void putName(ByteBuffer b, String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(raw.length, NAME_BYTES - 1); // keep a NUL, as strlcpy does
        int start = b.position();
        b.put(raw, 0, n);
        b.position(start + NAME_BYTES);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
