package dev.jdistcc.client;

import java.util.List;

/** What {@link ArgScan} decided about one compiler command line. */
public sealed interface ScanResult {

    /**
     * The command must run on this machine.
     *
     * @param reason why, in distcc's log words
     * @param cpp    true for preprocessor-only runs ({@code -E}), which use the local cpp slot pool
     */
    record Local(String reason, boolean cpp) implements ScanResult {
    }

    /**
     * The command can be distributed.
     *
     * @param input       the one source file
     * @param output      the output file, given or defaulted
     * @param outputGiven whether the user named the output (-o); false means distcc appended {@code -o output}
     * @param argv        the scanned argv with {@code -o output} appended when it was defaulted
     */
    record Distributable(String input, String output, boolean outputGiven, List<String> argv) implements ScanResult {
        public Distributable {
            argv = List.copyOf(argv);
        }
    }
}
