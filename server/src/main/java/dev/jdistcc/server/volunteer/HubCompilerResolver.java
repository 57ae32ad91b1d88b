package dev.jdistcc.server.volunteer;

import dev.jdistcc.fetcher.FetchException;
import dev.jdistcc.fetcher.LaunchPlan;
import dev.jdistcc.fetcher.ToolchainResolver;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.server.CompilerLaunch;
import dev.jdistcc.server.CompilerResolver;
import dev.jdistcc.server.JobRefused;
import dev.jdistcc.server.ServerLog;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Compiler admission of a volunteer (issue 3 point 7): the allow-list becomes the compiler names in the hub's
 * manifest, plus the masquerade directories where there are any.
 *
 * <ul>
 *   <li>A jdistcc request naming a toolchain ({@code TOOL}) runs that toolchain, fetched on first use from the hub,
 *       or from the request's {@code TSRC} when that proves to be a hub of the same key; a digest neither offers, or
 *       one that cannot be fetched now, is refused (our client then asks again by compiler name).</li>
 *   <li>A stock request whose compiler name ({@code gcc}, {@code x86_64-linux-gnu-gcc}, {@code aarch64-linux-gnu-gcc}
 *       ...) is in the manifest for this machine runs the hub's toolchain: it is the client's own compiler, so
 *       objects equal local ones.</li>
 *   <li>Anything else goes to the local resolver (masquerade allow-list and PATH), when there is one.</li>
 * </ul>
 * Fetched toolchains run in the bubblewrap sandbox, which drops privileges itself. Protocol 3 (pump) jobs use
 * local compilers only: a bundle holds the compiler but not the system headers pump mode expects on the server.
 */
final class HubCompilerResolver implements CompilerResolver {
    private final ToolchainResolver toolchains;
    private final URI hub;
    private final CompilerResolver local;

    /**
     * @param toolchains the fetched toolchains, or null when they cannot run here (no bubblewrap)
     * @param local      the masquerade/PATH resolver, or null when this volunteer has no compilers of its own
     */
    HubCompilerResolver(ToolchainResolver toolchains, URI hub, CompilerResolver local) {
        this.toolchains = toolchains;
        this.hub = hub;
        this.local = local;
    }

    @Override
    public CompilerLaunch resolve(RequestHeader header, ServerLog log) throws JobRefused {
        if (toolchains == null) {
            return localOnly(header, log);
        }
        if (header.toolchain() != null) {
            try {
                return launch(header, toolchains.resolve(header.toolchain(), header.argv()), log, "named by the client");
            } catch (FetchException e) {
                throw new JobRefused(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE, "toolchain "
                        + header.toolchain().digest() + " unavailable: " + e.getMessage());
            }
        }
        String name = header.argv().getFirst();
        FetchException failed = null;
        if (!header.version().serverCpp() && toolchains.allows(name)) {
            try {
                return launch(header, toolchains.resolveByName(header.argv()), log, "by compiler name");
            } catch (FetchException e) {
                failed = e;
            }
        }
        if (local != null) {
            try {
                return local.resolve(header, log);
            } catch (JobRefused r) {
                throw failed == null ? r : new JobRefused(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE, r.getMessage()
                        + "; the hub's toolchain for it is unavailable: " + failed.getMessage());
            }
        }
        if (failed != null) {
            throw new JobRefused(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE, "toolchain for " + name + " unavailable: "
                    + failed.getMessage());
        }
        if (header.version().serverCpp()) {
            throw new JobRefused(JobRefused.Kind.COMPILER_NOT_ALLOWED, "pump mode (protocol 3) needs compilers of the"
                    + " volunteer's own; this one only has the toolchains of hub " + hub);
        }
        throw new JobRefused(JobRefused.Kind.COMPILER_NOT_ALLOWED, name + " is not a compiler in the manifest of hub "
                + hub + ", and this volunteer has no compilers of its own");
    }

    /** Fetched toolchains cannot run on this machine (see the log): behave like a plain distccd. */
    private CompilerLaunch localOnly(RequestHeader header, ServerLog log) throws JobRefused {
        if (header.toolchain() == null && local != null) {
            return local.resolve(header, log);
        }
        throw new JobRefused(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE, "this volunteer cannot run fetched toolchains"
                + " (see the start-up log)" + (local == null ? " and has no compilers of its own" : ""));
    }

    /** The log line says which toolchain runs the job, and how it was chosen. */
    private static CompilerLaunch launch(RequestHeader header, LaunchPlan plan, ServerLog log, String how) {
        log.info("dcc_toolchain", header.argv().getFirst() + " runs toolchain " + plan.digest().shortForm() + " ("
                + how + ")");
        return new CompilerLaunch(header.argv().getFirst(), Optional.of(Path.of(plan.argv().getFirst())), Map.of(),
                new PlanSandbox(plan), plan.timeout(), true, plan);
    }
}
