package dev.jdistcc.server;

import java.util.Locale;

/** The text of distccd's --stats reply, byte for byte as stats.c writes it: HTTP/1.0 with bare \n. */
final class StatsPage {
    /** Host figures the daemon reads from /proc and the file system. */
    record Host(int maxKids, int currentLoad, double[] load, int procsInD, int maxRssKb, String maxRssName,
                int ioRate, long freeSpaceMb) {
    }

    private StatsPage() {
    }

    static String render(Stats.Snapshot s, Host h) {
        StringBuilder b = new StringBuilder(1024);
        b.append("HTTP/1.0 200 OK\n").append("Content-Type: text/plain\n").append("Connection: close\n\n");
        b.append("argv /distccd\n").append("<distccstats>\n");
        line(b, "dcc_tcp_accept", s.count(JobResult.TCP_ACCEPT));
        line(b, "dcc_rej_bad_req", s.count(JobResult.REJ_BAD_REQ));
        line(b, "dcc_rej_overload", s.count(JobResult.REJ_OVERLOAD));
        line(b, "dcc_compile_ok", s.count(JobResult.COMPILE_OK));
        line(b, "dcc_compile_error", s.count(JobResult.COMPILE_ERROR));
        line(b, "dcc_compile_timeout", s.count(JobResult.COMPILE_TIMEOUT));
        line(b, "dcc_cli_disconnect", s.count(JobResult.CLI_DISCONN));
        line(b, "dcc_other", s.count(JobResult.OTHER));
        line(b, "dcc_longest_job", s.longestJob());
        line(b, "dcc_longest_job_compiler", s.longestCompiler());
        line(b, "dcc_longest_job_time_msecs", s.longestMillis());
        line(b, "dcc_max_kids", h.maxKids());
        line(b, "dcc_avg_kids1", s.kidsAvg()[0]);
        line(b, "dcc_avg_kids2", s.kidsAvg()[1]);
        line(b, "dcc_avg_kids3", s.kidsAvg()[2]);
        line(b, "dcc_current_load", h.currentLoad());
        for (int i = 0; i < 3; i++) {
            line(b, "dcc_load" + (i + 1), String.format(Locale.ROOT, "%1.2f", h.load()[i]));
        }
        for (int i = 0; i < 3; i++) {
            line(b, "dcc_num_compiles" + (i + 1), s.compiles()[i]);
        }
        line(b, "dcc_num_procstate_D", h.procsInD());
        line(b, "dcc_max_RSS", h.maxRssKb());
        line(b, "dcc_max_RSS_name", h.maxRssName());
        line(b, "dcc_io_rate", h.ioRate());
        line(b, "dcc_free_space", h.freeSpaceMb() + " MB");
        b.append("</distccstats>\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append(' ').append(value).append('\n');
    }
}
