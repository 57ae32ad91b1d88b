package dev.jdistcc.fetcher;

/** Receives {@link FetchEvent}s, possibly from several threads at once. */
@FunctionalInterface
public interface FetchListener {
    FetchListener NONE = e -> { };

    void on(FetchEvent event);
}
