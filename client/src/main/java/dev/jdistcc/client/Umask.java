package dev.jdistcc.client;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * umask(2) for a resident process that starts children on behalf of launchers with different umasks. The
 * process umask is shared by all threads, so children are started under a lock with the job's umask set and
 * the old one restored. Loaded only when a job has its own umask: the per-job JVM never touches FFM.
 */
final class Umask {
    private static final MethodHandle UMASK = lookup();

    private Umask() {
    }

    private static MethodHandle lookup() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } catch (RuntimeException | Error e) {
            return null; // native access denied: children keep this process's umask
        }
    }

    /** Whether umasks can be set here (the JVM allows native access). */
    static boolean available() {
        return UMASK != null;
    }

    /** Sets the process umask, returning the previous one. Callers hold the class lock. */
    static int set(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw new IllegalStateException("umask(2) failed", t);
        }
    }
}
