package dev.jdistcc.server;

/**
 * distcc's log levels (trace.c), most severe first. The prefix is what distcc prints before the message;
 * notice, info and debug print none.
 */
public enum Severity {
    EMERGENCY("EMERGENCY! "), ALERT("ALERT! "), CRITICAL("CRITICAL! "), ERROR("ERROR: "), WARNING("Warning: "),
    NOTICE(""), INFO(""), DEBUG("");

    private final String prefix;

    Severity(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** True when this level is at least as severe as {@code other}. */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }

    /** distccd's --log-level names, as rs_loglevel_from_name accepts them; null when unknown. */
    public static Severity fromName(String name) {
        return switch (name) {
            case "emerg", "emergency" -> EMERGENCY;
            case "alert" -> ALERT;
            case "critical", "crit" -> CRITICAL;
            case "error", "err" -> ERROR;
            case "warning", "warn" -> WARNING;
            case "notice", "note" -> NOTICE;
            case "info" -> INFO;
            case "debug" -> DEBUG;
            default -> null;
        };
    }
}
