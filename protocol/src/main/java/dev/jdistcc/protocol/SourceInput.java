package dev.jdistcc.protocol;

import java.util.List;
import java.util.Objects;

/** What a request sends to be compiled: one preprocessed file (protocols 1, 2, extensions) or a tree (3). */
public sealed interface SourceInput {

    /** DOTI: the preprocessed source (or an already-preprocessed input sent as-is). */
    record Preprocessed(byte[] source) implements SourceInput {
        public Preprocessed {
            Objects.requireNonNull(source, "source");
        }
    }

    /** NFIL and its entries: the client's files under their absolute client-side names (reference §1.6). */
    record FileTree(List<FileEntry> entries) implements SourceInput {
        public FileTree {
            entries = List.copyOf(entries);
        }
    }

    /** One NAME plus FILE or LINK. */
    sealed interface FileEntry {
        String name();

        record RegularFile(String name, byte[] content) implements FileEntry {
            public RegularFile {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(content, "content");
            }
        }

        record Symlink(String name, String target) implements FileEntry {
            public Symlink {
                Objects.requireNonNull(name, "name");
                Objects.requireNonNull(target, "target");
            }
        }
    }
}
