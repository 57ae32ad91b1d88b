package dev.jdistcc.server;

import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.SourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * distccd's own compiler admission (reference §3.5 step 6 and §3.6): DISTCC_CMDLIST remapping, else the
 * masquerade allow-list unless {@code --enable-tcp-insecure}; then a PATH search like execvp.
 *
 * <p>Fixed relative to 3.4: every allow-list directory is tried even when the first one is missing (#431),
 * and PATH entries that are masquerade links to distcc are skipped (with a warning, as distccd warns),
 * so a misconfigured PATH cannot make the server call distcc recursively.
 */
public final class PathCompilerResolver implements CompilerResolver {
    private final List<Path> allowDirs;
    private final CmdList cmdList;
    private final boolean insecure;
    private final List<Path> path;

    /**
     * @param allowDirs masquerade directories; a compiler is allowed when an executable of its name is in one
     * @param cmdList   DISTCC_CMDLIST, or null; when set it replaces the allow-list
     * @param insecure  --enable-tcp-insecure: no allow-list at all
     * @param path      the directories searched for a relative compiler name (DISTCCD_PATH or PATH)
     */
    public PathCompilerResolver(List<Path> allowDirs, CmdList cmdList, boolean insecure, List<Path> path) {
        this.allowDirs = List.copyOf(allowDirs);
        this.cmdList = cmdList;
        this.insecure = insecure;
        this.path = List.copyOf(path);
    }

    @Override
    public CompilerLaunch resolve(RequestHeader header, ServerLog log) throws JobRefused {
        if (header.toolchain() != null) {
            throw new JobRefused(JobRefused.Kind.TOOLCHAIN_UNAVAILABLE, "toolchain " + header.toolchain().digest()
                    + " requested, but this server compiles only with its installed compilers");
        }
        String compiler = header.argv().getFirst();
        if (cmdList != null) {
            String mapped = cmdList.lookup(compiler);
            if (mapped == null) {
                throw new JobRefused(JobRefused.Kind.COMPILER_NOT_ALLOWED,
                        "lookup of " + compiler + " in DISTCC_CMDLIST failed");
            }
            compiler = mapped;
        } else if (!insecure) {
            checkAllowList(compiler);
        }
        return locate(compiler, log);
    }

    private void checkAllowList(String compiler) throws JobRefused {
        String name = compiler;
        String lower = compiler.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("/bin/", "/usr/bin/")) {
            if (lower.startsWith(prefix)) {
                name = compiler.substring(prefix.length());
                break;
            }
        }
        if (name.contains("/") || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new JobRefused(JobRefused.Kind.COMPILER_NOT_ALLOWED, "compiler name <" + compiler
                    + "> cannot be an absolute path (or must set DISTCC_CMDLIST or pass --enable-tcp-insecure)");
        }
        for (Path dir : allowDirs) {
            if (Files.isExecutable(dir.resolve(name))) {
                return;
            }
        }
        throw new JobRefused(JobRefused.Kind.COMPILER_NOT_ALLOWED, name + " not in "
                + String.join(" or ", allowDirs.stream().map(Path::toString).toList()) + " whitelist.");
    }

    /** execvp's search, then distcc's retry with the basename of an absolute name (exec.c dcc_execvp). */
    private CompilerLaunch locate(String compiler, ServerLog log) {
        if (compiler.contains("/")) {
            Path p = Path.of(compiler);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return CompilerLaunch.of(compiler, p.toAbsolutePath());
            }
            return searchPath(compiler, SourceNames.basename(compiler), log);
        }
        return searchPath(compiler, compiler, log);
    }

    private CompilerLaunch searchPath(String compiler, String name, ServerLog log) {
        for (Path dir : path) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                continue;
            }
            if (isMasqueradeLink(p)) {
                log.warning("dcc_check_compiler_masq", name + " on distccd's path is " + p
                        + " and really a link to distcc; skipping it");
                continue;
            }
            return CompilerLaunch.of(compiler, p.toAbsolutePath());
        }
        return CompilerLaunch.missing(compiler);
    }

    private static boolean isMasqueradeLink(Path p) {
        try {
            return Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().contains("distcc");
        } catch (IOException e) {
            return false;
        }
    }
}
