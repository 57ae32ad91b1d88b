package dev.jdistcc.netboot;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a volunteer's kernel command line, the appliance's only configuration channel (reference
 * appliance-recipes §7). Every argument must survive two parsers unchanged: iPXE's {@code kernel} line
 * (words split on blanks, {@code ${...}} expanded) and the kernel's own (double quotes group words), so
 * blanks, quotes, backslashes and {@code $} are refused rather than escaped.
 */
public final class KernelCmdline {

    /** x86 {@code COMMAND_LINE_SIZE} is 2048 bytes including the terminating NUL. */
    public static final int MAX_BYTES = 2047;
    public static final String HUB_KEY = "jdistcc.hub";
    public static final String TRUST_KEY = "jdistcc.key";

    private KernelCmdline() {}

    /**
     * {@code initrd=<name>} for every initramfs (the EFI stub loads initrds by these names when iPXE
     * boots it under UEFI; a BIOS boot ignores them), the image's defaults, then hub, key and extras.
     */
    public static String compose(BootArtifacts artifacts, BootConfig config) throws ConfigException {
        List<String> words = new ArrayList<>();
        artifacts.initrds().forEach(f -> words.add("initrd=" + f.name()));
        words.addAll(split(artifacts.defaultCmdline()));
        if (config.hubUrl() != null) {
            words.add(HUB_KEY + "=" + checkHubUrl(config.hubUrl()));
        }
        if (config.key() != null) {
            words.add(TRUST_KEY + "=" + checkKey(config.key()));
        }
        words.addAll(config.extraArgs());
        for (String w : words) {
            checkWord(w);
        }
        String line = String.join(" ", words);
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new ConfigException("the kernel command line would be " + bytes + " bytes; x86 kernels keep only "
                    + MAX_BYTES + ". Pass a URL to a document instead of long values.");
        }
        return line;
    }

    /** Checks every word of a space-separated argument string. */
    public static void checkArguments(String args) throws ConfigException {
        for (String w : split(args)) {
            checkWord(w);
        }
    }

    /** One kernel argument: printable ASCII, no blank, quote, backslash or {@code $}. */
    public static void checkWord(String word) throws ConfigException {
        if (word.isEmpty()) {
            throw new ConfigException("empty kernel argument");
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '$') {
                throw new ConfigException("kernel argument '" + word + "' contains " + describe(c)
                        + "; iPXE and the kernel would not pass it through unchanged");
            }
        }
    }

    /**
     * The hub's public key as volunteers trust it: {@code ed25519:} and the base64 of 32 bytes (what
     * {@code jdistcc-hub key} prints; the appliance's {@code /init} ignores anything else).
     */
    public static String checkKey(String key) throws ConfigException {
        String hint = " must be the hub's public key, ed25519:<base64 of 32 bytes> (print it with jdistcc-hub key)";
        if (!key.startsWith("ed25519:")) {
            throw new ConfigException("key '" + key + "'" + hint);
        }
        try {
            if (java.util.Base64.getDecoder().decode(key.substring("ed25519:".length())).length != 32) {
                throw new ConfigException("key '" + key + "' is not 32 bytes;" + hint.substring(1));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("key '" + key + "' is not base64;" + hint.substring(1), e);
        }
        return key;
    }

    /** An absolute http(s) URL the appliance can fetch. */
    public static String checkHubUrl(String url) throws ConfigException {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
                throw new ConfigException("hub URL '" + url + "' must be an absolute http:// or https:// URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException("hub URL '" + url + "' is not a URL: " + e.getReason(), e);
        }
    }

    static List<String> split(String args) {
        String s = args.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    private static String describe(char c) {
        return c == ' ' ? "a blank" : c < ' ' || c >= 0x7f ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }
}
