package dev.jdistcc.toolchain.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Serialises the value model of {@link Json}. Package-private: use {@link Json#write}. */
final class JsonWriter {
    private JsonWriter() {
    }

    /** {@code indent} is the current depth, or -1 for compact output. */
    static void write(StringBuilder sb, Object v, int indent) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Number n -> sb.append(n);
            case Map<?, ?> m -> writeObject(sb, m, indent);
            case List<?> l -> writeArray(sb, l, indent);
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(sb, indent + 1, indent);
            quote(sb, (String) e.getKey());
            sb.append(indent >= 0 ? ": " : ":");
            write(sb, e.getValue(), indent >= 0 ? indent + 1 : -1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, indent, indent);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, List<?> l, int indent) {
        if (l.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
            newline(sb, indent + 1, indent);
            write(sb, l.get(i), indent >= 0 ? indent + 1 : -1);
            if (i + 1 < l.size()) {
                sb.append(',');
            }
        }
        newline(sb, indent, indent);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int depth, int indent) {
        if (indent < 0) {
            return;
        }
        sb.append('\n').append("  ".repeat(depth));
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
