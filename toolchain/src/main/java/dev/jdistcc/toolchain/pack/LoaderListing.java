package dev.jdistcc.toolchain.pack;

import dev.jdistcc.toolchain.ToolchainException;

import java.util.ArrayList;
import java.util.List;

/** Parses the output of {@code ld.so --list}: "name => /path (0x…)", "/path (0x…)", vdso lines without a path. */
final class LoaderListing {
    private LoaderListing() {
    }

    static List<String> parse(String out, String binary) throws ToolchainException.Packaging {
        List<String> libs = new ArrayList<>();
        for (String raw : out.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("statically linked")) {
                continue;
            }
            if (line.contains("=> not found")) {
                throw new ToolchainException.Packaging(binary + " needs a library the loader cannot find: " + line);
            }
            int arrow = line.indexOf("=> ");
            String rest = arrow >= 0 ? line.substring(arrow + 3) : line;
            int paren = rest.lastIndexOf(" (0x");
            String path = (paren >= 0 ? rest.substring(0, paren) : rest).strip();
            if (path.startsWith("/")) {
                libs.add(path);
            }
        }
        return libs;
    }
}
