package dev.jdistcc.image;

import java.time.Duration;

/**
 * Progress of an image build. The library reports through this and never prints; the CLI renders it.
 * Calls come from the building thread, in order.
 */
public interface BuildListener {

    /** A step (fetching a package, jlink, a layer, an output) has started. */
    void started(String step);

    /**
     * A step has finished. {@code cached} is true when its result came from the cache;
     * {@code detail} is a short human-readable summary (sizes, counts) or empty.
     */
    void finished(String step, Duration took, boolean cached, String detail);

    static BuildListener silent() {
        return new BuildListener() {
            @Override
            public void started(String step) {}

            @Override
            public void finished(String step, Duration took, boolean cached, String detail) {}
        };
    }
}
