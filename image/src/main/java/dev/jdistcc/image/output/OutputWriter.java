package dev.jdistcc.image.output;

import dev.jdistcc.image.ImageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One output format, chosen by name from {@link OutputWriters}. */
public interface OutputWriter {

    /** The name used in the plan's {@code outputs} list. */
    String name();

    /** One line for {@code --help} and listings. */
    String description();

    /**
     * Writes this format into {@code outDir} (which exists) using {@code scratch} for intermediate
     * files; returns the files written. Output must be a pure function of {@code artifacts}.
     */
    List<Path> write(BootArtifacts artifacts, Path outDir, Path scratch) throws ImageException, IOException;
}
