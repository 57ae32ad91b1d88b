package dev.jdistcc.server;

import dev.jdistcc.protocol.RequestHeader;

/**
 * The seam that decides how a request's compiler is run: the daemon asks it once per job, after the
 * argument scan and before reading the job's input.
 *
 * <p>The default, {@link PathCompilerResolver}, is distccd's: {@code DISTCC_CMDLIST} remapping, the
 * masquerade-directory allow-list ({@code /usr/lib/distcc} and configured directories), then a PATH
 * search; it refuses requests that name a toolchain ({@code WireVersion.FEATURE_TOOLCHAIN}). A toolchain
 * store plugs in its own implementation, typically: look up {@code header.toolchain().digest()}, fetch
 * and unpack it if needed (blocking this job only), and return a {@link CompilerLaunch} whose executable
 * lives in the unpacked tree, whose environment points PATH there, and whose {@link Sandbox} wraps the
 * command (for example in bubblewrap with the job's directories bound writable).
 *
 * <p>Implementations must be thread-safe: jobs resolve concurrently. What the daemon still does itself,
 * whatever the resolver: the refusal of {@code -fplugin=} and {@code -specs=}, the private job directory,
 * the process group, nice level, privilege drop, deadline and kill path.
 */
@FunctionalInterface
public interface CompilerResolver {

    /**
     * @param header the request header: {@code argv().getFirst()} is the compiler name the client sent,
     *               {@code toolchain()} the requested toolchain or null
     * @param log    the job's log; warnings and worse written here reach the client in SERR
     * @return how to launch the compiler; a launch without an executable makes the job fail with
     *         distcc's "failed to exec" status 110 (the compiler is allowed but not installed)
     * @throws JobRefused when this server will not run that compiler; the connection is then dropped
     */
    CompilerLaunch resolve(RequestHeader header, ServerLog log) throws JobRefused;
}
