package dev.jdistcc.netboot;

import java.util.List;

/**
 * The per-boot part of a volunteer's kernel command line: where its hub is, which hub key it trusts, and
 * any further {@code key=value} options ({@code jdistcc.jobs=2}, {@code jdistcc.shell=1}, ...). The
 * appliance's {@code /init} reads these from {@code /proc/cmdline}.
 *
 * @param hubUrl    the hub's base URL, passed as {@code jdistcc.hub=}; null leaves it out
 * @param key       the hub's public key ({@code ed25519:<base64>}) volunteers verify toolchains with, passed
 *                  as {@code jdistcc.key=}; null leaves it out
 * @param extraArgs further kernel arguments, appended in order
 */
public record BootConfig(String hubUrl, String key, List<String> extraArgs) {

    public BootConfig {
        extraArgs = List.copyOf(extraArgs);
    }

    /** The same hub and key with more arguments after these. */
    public BootConfig withExtraArgs(List<String> more) {
        return new BootConfig(hubUrl, key, java.util.stream.Stream.concat(extraArgs.stream(), more.stream()).toList());
    }
}
