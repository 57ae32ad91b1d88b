package dev.jdistcc.server;

/**
 * The .d clean-up of protocol 3 (reference §1.6 step 5, dotd.c dcc_cleanup_dotd): on every line, the first
 * occurrence of the server's temporary object name becomes the client's target, and every occurrence of
 * the root directory is removed, so the paths read as they do on the client.
 */
final class DotdFix {
    private DotdFix() {
    }

    static String fix(String dotd, String root, String clientTarget, String serverObject) {
        StringBuilder out = new StringBuilder(dotd.length());
        int start = 0;
        while (start < dotd.length()) {
            int nl = dotd.indexOf('\n', start);
            int end = nl < 0 ? dotd.length() : nl + 1;
            String line = dotd.substring(start, end);
            int at = line.indexOf(serverObject);
            if (at >= 0) {
                line = line.substring(0, at) + clientTarget + line.substring(at + serverObject.length());
            }
            out.append(line.replace(root, ""));
            start = end;
        }
        return out.toString();
    }
}
