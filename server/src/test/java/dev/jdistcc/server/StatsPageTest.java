package dev.jdistcc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsPageTest {
    @Test
    void pageIsDistccdsTemplateWithBareNewlines() {
        Stats stats = new Stats();
        stats.event(JobResult.TCP_ACCEPT);
        stats.event(JobResult.TCP_ACCEPT);
        stats.jobDone(JobResult.COMPILE_OK, "gcc", "hello.c", 1_000, 1_067);
        stats.jobDone(JobResult.OTHER, null, null, 2_000, 2_001);
        StatsPage.Host host = new StatsPage.Host(4, 1, new double[] {2.71, 3.875, 0}, 0, 168144, "(java)", -1, 76367);
        String expected = """
                HTTP/1.0 200 OK
                Content-Type: text/plain
                Connection: close

                argv /distccd
                <distccstats>
                dcc_tcp_accept 2
                dcc_rej_bad_req 0
                dcc_rej_overload 0
                dcc_compile_ok 1
                dcc_compile_error 0
                dcc_compile_timeout 0
                dcc_cli_disconnect 0
                dcc_other 1
                dcc_longest_job hello.c
                dcc_longest_job_compiler gcc
                dcc_longest_job_time_msecs 67
                dcc_max_kids 4
                dcc_avg_kids1 0
                dcc_avg_kids2 0
                dcc_avg_kids3 0
                dcc_current_load 1
                dcc_load1 2.71
                dcc_load2 3.88
                dcc_load3 0.00
                dcc_num_compiles1 1
                dcc_num_compiles2 1
                dcc_num_compiles3 1
                dcc_num_procstate_D 0
                dcc_max_RSS 168144
                dcc_max_RSS_name (java)
                dcc_io_rate -1
                dcc_free_space 76367 MB
                </distccstats>
                """;
        assertEquals(expected, StatsPage.render(stats.snapshot(2_500), host));
    }

    @Test
    void longestJobIsNoneBeforeTheFirstSuccess() {
        Stats.Snapshot s = new Stats().snapshot(0);
        assertEquals("none", s.longestJob());
        assertEquals(-1, s.longestMillis());
    }

    @Test
    void summaryLineHasDistccdsFields() {
        assertEquals("client: 127.0.0.1:44334 COMPILE_OK exit:0 sig:0 core:0 ret:0 time:60ms x86_64-linux-gnu-gcc hello.c",
                ConnectionHandler.summary("127.0.0.1:44334", JobResult.COMPILE_OK, 0, 0, 60, "x86_64-linux-gnu-gcc",
                        "hello.c"));
        assertEquals("client: 127.0.0.1:33256 OTHER exit:0 sig:0 core:0 ret:0 time:8ms ",
                ConnectionHandler.summary("127.0.0.1:33256", JobResult.OTHER, 0, 0, 8, null, null));
        assertEquals("client: 1.2.3.4:5 CLI_DISCONN exit:107 sig:0 core:0 ret:0 time:9ms ",
                ConnectionHandler.summary("1.2.3.4:5", JobResult.CLI_DISCONN, 107 << 8, 0, 9, "gcc", "a.c"));
    }
}
