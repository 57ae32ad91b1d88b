package dev.jdistcc.server;

import dev.jdistcc.protocol.Limits;
import dev.jdistcc.protocol.PacketReader;
import dev.jdistcc.protocol.PacketWriter;
import dev.jdistcc.protocol.ProtocolException;
import dev.jdistcc.protocol.Request;
import dev.jdistcc.protocol.RequestHeader;
import dev.jdistcc.protocol.SourceInput;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves one connection (serve.c dcc_service_job): access check, request, compile, response, one summary
 * line (reference §3.9). Every refusal and every malformed request closes the connection without a byte.
 */
public final class ConnectionHandler {
    private final CompileService service;
    private final AccessList acl;
    private final Stats stats;
    private final ServerLog log;
    private final Limits limits;
    private final Duration ioTimeout;
    private final long pid = ProcessHandle.current().pid();

    /**
     * @param acl       the --allow list; an empty list allows everyone (inetd without --allow)
     * @param ioTimeout bound on each read of the request (DISTCC_IO_TIMEOUT)
     */
    public ConnectionHandler(CompileService service, AccessList acl, Stats stats, ServerLog log, Limits limits,
                             Duration ioTimeout) {
        this.service = service;
        this.acl = acl;
        this.stats = stats;
        this.log = log;
        this.limits = limits;
        this.ioTimeout = ioTimeout;
    }

    /** Serves the connection and closes it. */
    void serve(Connection conn) {
        try (conn) {
            stats.event(JobResult.TCP_ACCEPT);
            if (conn.peerAddress() != null && !acl.isEmpty() && !acl.allows(conn.peerAddress())) {
                log.error("dcc_check_client", "connection from client '" + AccessList.describe(conn.peerAddress())
                        + "' denied by access list");
                return;
            }
            log.info("dcc_check_client", "connection from " + conn.peerName());
            runJob(conn);
        } catch (IOException e) {
            log.debug("dcc_service_job", "closing connection: " + e.getMessage());
        }
    }

    private void runJob(Connection conn) {
        long start = System.currentTimeMillis();
        JobLog jobLog = new JobLog(log, pid);
        JobResult result = JobResult.OTHER;
        int status = 0, ret = 0;
        PreparedJob job = null;
        AtomicBoolean finished = new AtomicBoolean();
        try {
            InputStream in = new BufferedInputStream(conn.in(), 64 * 1024);
            conn.readTimeout(ioTimeout);
            PacketReader reader = new PacketReader(in, limits);
            RequestHeader header = Request.readHeader(reader);
            job = service.prepare(header, jobLog);
            SourceInput input = Request.readInput(reader, header.version());
            conn.readTimeout(null);
            CompletableFuture<Void> gone = watchForDisconnect(in, finished);
            JobOutcome outcome = service.run(job, input, gone, jobLog);
            status = outcome.response().status();
            result = outcome.result();
            try {
                OutputStream out = new BufferedOutputStream(conn.out(), 64 * 1024);
                Thread watchdog = closeAfter(conn, ioTimeout);
                try {
                    outcome.response().write(new PacketWriter(out));
                } finally {
                    watchdog.interrupt();
                }
            } catch (IOException e) {
                jobLog.warning("dcc_run_job", "failed to send the response: " + e.getMessage());
                ret = CompilerRunner.EXIT_IO_ERROR;
            }
        } catch (JobRefused e) {
            refused(jobLog, e);
            ret = e.kind().ret();
        } catch (ProtocolException e) {
            boolean truncated = e instanceof ProtocolException.Truncated;
            jobLog.error("dcc_r_token_int", e.getMessage());
            result = truncated ? JobResult.OTHER : JobResult.REJ_BAD_REQ;
            ret = truncated ? 108 : 109;
        } catch (IOException e) {
            jobLog.error("dcc_run_job", "I/O error: " + e.getMessage());
            result = JobResult.CLI_DISCONN;
            ret = CompilerRunner.EXIT_IO_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ret = 100;
        } catch (RuntimeException e) {
            jobLog.error("dcc_run_job", "internal error: " + e);
            ret = 100;
        } finally {
            finished.set(true);
            if (job != null) {
                job.close();
            }
        }
        long end = System.currentTimeMillis();
        String compiler = job == null ? null : job.compilerName();
        String file = job == null ? null : job.inputName();
        stats.jobDone(result, compiler, file, start, end);
        log.notice("dcc_job_summary", summary(conn.peerName(), result, status, ret, end - start, compiler, file));
    }

    private static void refused(JobLog log, JobRefused e) {
        switch (e.kind()) {
            case NOT_DISTRIBUTABLE -> log.info("dcc_scan_args", e.getMessage());
            case COMPILER_NOT_ALLOWED -> log.log(Severity.CRITICAL, "dcc_check_compiler_whitelist", e.getMessage());
            default -> log.warning("dcc_run_job", e.getMessage());
        }
    }

    /** distccd's job summary line (serve.c): trailing fields only for compiles that ran. */
    static String summary(String peer, JobResult r, int status, int ret, long millis, String compiler, String file) {
        StringBuilder sb = new StringBuilder("client: ").append(peer).append(' ').append(r.name());
        sb.append(" exit:").append((status >> 8) & 0xff).append(" sig:").append(status & 0x7f)
                .append(" core:").append((status & 0x80) != 0 ? 1 : 0).append(" ret:").append(ret)
                .append(" time:").append(millis).append("ms ");
        if ((r == JobResult.COMPILE_OK || r == JobResult.COMPILE_ERROR) && compiler != null) {
            sb.append(compiler).append(' ').append(file);
        }
        return sb.toString();
    }

    /**
     * Sockets have no write timeout: a client that stops reading would hold a job slot forever, so the
     * connection is closed if the response is not out within DISTCC_IO_TIMEOUT, as distccd's writes time out.
     */
    private static Thread closeAfter(Connection conn, Duration timeout) {
        return Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                conn.close();
            } catch (InterruptedException | IOException e) {
                // written in time, or already closed
            }
        });
    }

    /**
     * distccd polls the client socket while the compiler runs; EOF means the client is gone (§1.1). Stock
     * clients send nothing more after the request, so any byte read is ignored.
     */
    private static CompletableFuture<Void> watchForDisconnect(InputStream in, AtomicBoolean finished) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Thread.ofVirtual().name("disconnect-watch").start(() -> {
            try {
                while (!finished.get()) {
                    if (in.read() < 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                // reset or closed: the client is gone, or we closed the socket after the job
            }
            if (!finished.get()) {
                gone.complete(null);
            }
        });
        return gone;
    }
}
