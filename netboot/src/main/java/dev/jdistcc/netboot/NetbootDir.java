package dev.jdistcc.netboot;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads the {@code netboot/} directory the image builder writes: {@code netboot.properties} (keys
 * {@code name}, {@code kernel}, {@code initrd}, {@code script}, {@code cmdline}; unknown keys are refused)
 * and {@code SHA256SUMS}, against which the kernel and initrd digests are checked.
 */
public final class NetbootDir {

    static final String MANIFEST = "netboot.properties";
    static final String SUMS = "SHA256SUMS";
    private static final Set<String> KEYS = Set.of("name", "kernel", "initrd", "script", "cmdline");

    private NetbootDir() {}

    public static BootArtifacts load(Path dir) throws ArtifactException, ConfigException {
        Path manifest = dir.resolve(MANIFEST);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(manifest)) {
            p.load(r);
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + manifest + " (is " + dir
                    + " the netboot/ output of the image builder?): " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(manifest + ": unknown key '" + key + "' (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        BootFile kernel = BootFile.of(require(p, "kernel", manifest), dir.resolve(p.getProperty("kernel")));
        List<BootFile> initrds = new ArrayList<>();
        for (String name : KernelCmdline.split(require(p, "initrd", manifest).replace(',', ' '))) {
            initrds.add(BootFile.of(name, dir.resolve(name)));
        }
        Map<String, String> sums = sums(dir.resolve(SUMS));
        List<BootFile> all = new ArrayList<>(initrds);
        all.add(kernel);
        for (BootFile f : all) {
            String want = sums.get(f.name());
            if (want != null && !want.equals(f.sha256())) {
                throw new ArtifactException(f.path() + " has sha256 " + f.sha256() + " but " + dir.resolve(SUMS)
                        + " lists " + want + "; the directory was changed after the image was built. Rebuild it.");
            }
        }
        return BootArtifacts.of(kernel, initrds, p.getProperty("cmdline", ""));
    }

    private static String require(Properties p, String key, Path manifest) throws ConfigException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(manifest + ": missing key '" + key + "'");
        }
        return v.strip();
    }

    /** {@code sha256sum} format: digest, two blanks (or blank and '*'), file name. Missing file: empty. */
    private static Map<String, String> sums(Path file) throws ArtifactException {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split("\\s+\\*?", 2);
                if (parts.length == 2 && parts[0].length() == 64) {
                    out.put(Path.of(parts[1]).getFileName().toString(), parts[0].toLowerCase(java.util.Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
