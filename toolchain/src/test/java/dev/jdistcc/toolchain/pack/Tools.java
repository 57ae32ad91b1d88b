package dev.jdistcc.toolchain.pack;

import java.nio.file.Files;

/** Test helper: a test needing a tool fails, with the install command, when the tool is missing. */
public final class Tools {
    private Tools() {
    }

    public static void require(String command, String debianPackage) {
        boolean found = CompilerNames.systemPath().stream().anyMatch(d -> Files.isExecutable(d.resolve(command)));
        if (!found) {
            throw new AssertionError(command + " is not installed: run `apt-get install -y " + debianPackage
                    + "` (or scripts/setup-debian)");
        }
    }
}
