package dev.jdistcc.client;

import dev.jdistcc.protocol.RequestHeader;
import java.nio.file.Path;

/**
 * Which packaged toolchain a job's compiler is, so a request to a jdistcc peer can name it ({@code TOOL} and
 * {@code TSRC}, issue 3 point 7) and the volunteer compiles with exactly that toolchain. Asked only for hosts
 * that speak the jdistcc extension ({@code ,lz4}); a stock distccd never sees the tokens.
 */
public interface ToolchainNames {
    /** Knows no toolchain: requests name compilers only, as distcc 3.4's do. */
    ToolchainNames NONE = new None();

    /**
     * @param compiler   argv[0] as it will be sent ("gcc", "x86_64-linux-gnu-gcc", …)
     * @param executable the file the local compile of this job would run (PATH lookup already done), or null
     * @return the toolchain to name, or null when the compiler is not a packaged one (send the name only)
     */
    RequestHeader.ToolchainRef forCompiler(String compiler, Path executable);

    /** The default of {@link #NONE} (a class, not a lambda: the per-job client avoids lambda bootstrap). */
    final class None implements ToolchainNames {
        @Override
        public RequestHeader.ToolchainRef forCompiler(String compiler, Path executable) {
            return null;
        }
    }
}
