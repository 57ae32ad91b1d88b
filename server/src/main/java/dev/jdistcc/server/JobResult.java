package dev.jdistcc.server;

/** distccd's job outcomes (stats.c stats_text), as named in job summaries and counted by --stats. */
public enum JobResult {
    TCP_ACCEPT, REJ_BAD_REQ, REJ_OVERLOAD, COMPILE_OK, COMPILE_ERROR, COMPILE_TIMEOUT, CLI_DISCONN, OTHER
}
