package dev.jdistcc.toolchain;

import io.airlift.compress.v3.zstd.ZstdInputStream;
import io.airlift.compress.v3.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How a bundle's tar is compressed. zstd is the default: gzip's size at about twice the speed (reference §6.5). */
public enum Compression {
    NONE("tar", "application/x-tar"),
    GZIP("tar.gz", "application/gzip"),
    ZSTD("tar.zst", "application/zstd");

    private final String extension;
    private final String contentType;

    Compression(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The manifest spelling: "none", "gzip", "zstd". */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Compression fromId(String id) {
        for (Compression c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression \"" + id + "\" (known: none, gzip, zstd)");
    }

    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            // Java's gzip header carries no timestamp, so the output is reproducible.
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> ExternalZstd.available() ? new ExternalZstd(out) : new ZstdOutputStream(out);
        };
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
