package dev.jdistcc.client;

import dev.jdistcc.protocol.SourceNames;
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
 * change and deleted when the job ends. Failures to write it never affect the compile. The file is opened
 * once per job and overwritten in place (the record never changes size): distcc reopens it with O_TRUNC on
 * every phase, which ext4 answers with a writeback at every close (auto_da_alloc).
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
    private FileChannel channel;
    private boolean broken;

    public StateFile(Path stateDir, long pid) {
        this.file = stateDir.resolve("binstate_" + pid);
        this.pid = pid;
    }

    public Path file() {
        return file;
    }

    /** Sets the job's input (basename is shown) and the host ("localhost" for local work) and slot. */
    public void where(String inputFile, String hostName, int slotNumber) {
        this.input = inputFile == null ? "" : SourceNames.basename(inputFile);
        this.host = hostName == null ? "" : hostName;
        this.slot = slotNumber;
    }

    public void phase(Phase p) {
        if (broken) {
            return;
        }
        try {
            if (channel == null) {
                if (!Files.isDirectory(file.getParent())) {
                    Files.createDirectories(file.getParent());
                }
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
            ByteBuffer b = encode(pid, input, host, slot, p);
            long at = 0;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        } catch (IOException | RuntimeException e) {
            broken = true; // monitoring is best effort, as in distcc
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
        if (channel == null) {
            return; // never written
        }
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
