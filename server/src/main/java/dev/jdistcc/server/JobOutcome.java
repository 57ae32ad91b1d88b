package dev.jdistcc.server;

import dev.jdistcc.protocol.Response;

/** What {@link CompileService#run} produced: the response to send and how the job is counted. */
public record JobOutcome(Response response, JobResult result) {
}
