package dev.jdistcc.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The captures under src/test/resources/golden (see the README there for how each was made). */
final class Golden {
    static final List<String> CASES = List.of(
            "v1-hello", "v2-hello", "v1-compile-error", "v2-compile-error", "v1-empty-doti", "v2-empty-doti", "v3-pump");

    private Golden() {
    }

    static byte[] request(String name) {
        return load(name + ".request.bin");
    }

    static byte[] response(String name) {
        return load(name + ".response.bin");
    }

    /** The version the case's client sent: the digit after the leading 'v'. */
    static WireVersion version(String name) {
        return new WireVersion(name.charAt(1) - '0');
    }

    static Request decodeRequest(byte[] bytes, Limits limits) throws IOException {
        return Request.read(new PacketReader(new ByteArrayInputStream(bytes), limits));
    }

    static Response decodeResponse(byte[] bytes, WireVersion sent, Limits limits) throws IOException {
        return Response.read(new PacketReader(new ByteArrayInputStream(bytes), limits), sent);
    }

    private static byte[] load(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing golden capture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
