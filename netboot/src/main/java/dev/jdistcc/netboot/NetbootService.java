package dev.jdistcc.netboot;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The core the HTTP handlers translate requests into: which script a machine gets and which files it
 * may fetch, with the bookkeeping of what was served. Independent of any HTTP server: mounted on the hub's
 * (NetbootHub) or on one of its own (NetbootHttpServer).
 */
public final class NetbootService {

    private final BootArtifacts artifacts;
    private final BootConfigs configs;
    private final NetbootListener listener;
    private final BootStats stats;

    public NetbootService(BootArtifacts artifacts, BootConfigs configs, NetbootListener listener, Clock clock) {
        this.artifacts = artifacts;
        this.configs = configs;
        this.listener = listener;
        this.stats = new BootStats(clock);
    }

    public NetbootService(BootArtifacts artifacts, BootConfigs configs, NetbootListener listener) {
        this(artifacts, configs, listener, Clock.systemUTC());
    }

    /** The entry script, for a handler mounted at {@code baseUrl}; counted as served. */
    public String entryScript(String baseUrl) {
        String script = IpxeScript.entry(baseUrl);
        stats.entryScriptServed(script.getBytes(StandardCharsets.US_ASCII).length);
        return script;
    }

    /** The machine's boot script; starts a new boot in the statistics. */
    public String bootScript(String baseUrl, MacAddress mac, String remoteAddress) throws ConfigException {
        String cmdline = KernelCmdline.compose(artifacts, configs.forMac(mac));
        String script = IpxeScript.boot(baseUrl, mac, artifacts, cmdline);
        stats.bootStarted(mac, remoteAddress, script.getBytes(StandardCharsets.US_ASCII).length);
        listener.bootScriptServed(mac, remoteAddress);
        return script;
    }

    /** The kernel command line {@code mac} would boot with (for status pages and dry runs). */
    public String cmdline(MacAddress mac) throws ConfigException {
        return KernelCmdline.compose(artifacts, configs.forMac(mac));
    }

    public Optional<BootFile> file(String name) {
        return artifacts.file(name);
    }

    /** Records bytes of a boot file written to {@code mac} (null when the URL carried no MAC). */
    public void fileSent(MacAddress mac, BootFile file, long bytes, boolean complete) {
        stats.transferred(mac, bytes, complete);
        listener.fileServed(mac, file.name(), bytes, complete);
    }

    public BootArtifacts artifacts() {
        return artifacts;
    }

    public BootStats stats() {
        return stats;
    }
}
