package dev.jdistcc.protocol;

/**
 * The two messages of a distcc job: one request from client to server, one response back
 * (reference §1.1: one of each per connection, then close).
 */
public sealed interface Message permits Request, Response {
    WireVersion version();
}
