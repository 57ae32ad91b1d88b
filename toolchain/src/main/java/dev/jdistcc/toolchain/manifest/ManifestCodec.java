package dev.jdistcc.toolchain.manifest;

import dev.jdistcc.toolchain.Compression;
import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.ToolchainException;
import dev.jdistcc.toolchain.json.Json;
import dev.jdistcc.toolchain.json.JsonException;
import dev.jdistcc.toolchain.json.StrictObject;
import dev.jdistcc.toolchain.pack.CompilerNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the manifest as strict, versioned JSON (CONVENTIONS 9): kind and version checked first,
 * unknown keys rejected, every error naming the property ("manifest.toolchains[1].archive.sha256: …").
 * Output is byte-stable for the same content, so its signature is too.
 */
public final class ManifestCodec {
    private ManifestCodec() {
    }

    public static String write(Manifest m) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", Manifest.KIND);
        root.put("version", Manifest.VERSION);
        root.put("signer", m.signer());
        List<Object> list = new ArrayList<>();
        m.toolchains().stream().sorted(java.util.Comparator.comparing(ToolchainInfo::digest)).forEach(t -> list.add(entry(t)));
        root.put("toolchains", list);
        return Json.write(root, true);
    }

    private static Map<String, Object> entry(ToolchainInfo t) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("digest", t.digest().hex());
        e.put("family", t.family());
        e.put("version", t.version());
        e.put("target", t.target());
        e.put("hostArch", t.hostArch());
        e.put("compilers", new TreeMap<>(t.compilers()));
        e.put("unpackedSize", t.unpackedSize());
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("path", t.archive().path());
        a.put("compression", t.archive().compression().id());
        a.put("sha256", t.archive().sha256());
        a.put("size", t.archive().size());
        e.put("archive", a);
        e.put("signature", t.signature());
        return e;
    }

    public static Manifest read(String text) throws ToolchainException.BadManifest {
        try {
            StrictObject o = StrictObject.parse("manifest", text);
            String kind = o.string("kind");
            if (!Manifest.KIND.equals(kind)) {
                throw o.invalid("kind", "expected \"" + Manifest.KIND + "\", got \"" + kind + "\"");
            }
            long version = o.integer("version");
            if (version != Manifest.VERSION) {
                throw o.invalid("version", "unsupported version " + version + " (this build reads " + Manifest.VERSION + ")");
            }
            String signer = o.string("signer");
            List<ToolchainInfo> list = new ArrayList<>();
            for (StrictObject t : o.objects("toolchains")) {
                list.add(readEntry(t));
            }
            o.done();
            return new Manifest(signer, list);
        } catch (JsonException e) {
            throw new ToolchainException.BadManifest(e.getMessage());
        }
    }

    private static ToolchainInfo readEntry(StrictObject t) throws JsonException {
        String digest = t.string("digest");
        if (!ToolchainDigest.isValid(digest)) {
            throw t.invalid("digest", "expected 64 lowercase hex digits");
        }
        Map<String, String> compilers = t.stringMap("compilers");
        for (Map.Entry<String, String> c : compilers.entrySet()) {
            if (!CompilerNames.looksLikeCompiler(c.getKey()) || !c.getValue().startsWith("/") || c.getValue().contains("/../")) {
                throw t.invalid("compilers", "bad entry \"" + c.getKey() + "\": \"" + c.getValue() + "\"");
            }
        }
        ToolchainInfo info = new ToolchainInfo(ToolchainDigest.parse(digest), word(t, "family"), word(t, "version"),
                word(t, "target"), word(t, "hostArch"), new TreeMap<>(compilers), nonNegative(t, "unpackedSize"),
                readArchive(t.object("archive")), t.string("signature"));
        t.done();
        return info;
    }

    private static ToolchainInfo.Archive readArchive(StrictObject a) throws JsonException {
        String path = a.string("path");
        if (!path.matches("[A-Za-z0-9._/-]+") || path.startsWith("/") || path.contains("..")) {
            throw a.invalid("path", "must be a plain relative path");
        }
        Compression c;
        try {
            c = Compression.fromId(a.string("compression"));
        } catch (IllegalArgumentException e) {
            throw a.invalid("compression", e.getMessage());
        }
        String sha = a.string("sha256");
        if (!ToolchainDigest.isValid(sha)) {
            throw a.invalid("sha256", "expected 64 lowercase hex digits");
        }
        ToolchainInfo.Archive archive = new ToolchainInfo.Archive(path, c, sha, nonNegative(a, "size"));
        a.done();
        return archive;
    }

    private static String word(StrictObject o, String key) throws JsonException {
        String s = o.string(key);
        if (!s.matches("[A-Za-z0-9._+-]{1,100}")) {
            throw o.invalid(key, "unexpected characters in \"" + s + "\"");
        }
        return s;
    }

    private static long nonNegative(StrictObject o, String key) throws JsonException {
        long v = o.integer(key);
        if (v < 0) {
            throw o.invalid(key, "must not be negative");
        }
        return v;
    }
}
