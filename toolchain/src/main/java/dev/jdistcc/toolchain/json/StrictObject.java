package dev.jdistcc.toolchain.json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one JSON object strictly (CONVENTIONS 9): every getter names the property path in its error, and
 * {@link #done()} rejects keys nobody asked for, so a typo in a config or a manifest is an error, not a no-op.
 */
public final class StrictObject {
    private final String path;
    private final Map<String, Object> map;
    private final Set<String> read = new HashSet<>();

    private StrictObject(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    /** Wraps a parsed value that must be an object; {@code path} names it in errors (e.g. "manifest"). */
    @SuppressWarnings("unchecked")
    public static StrictObject of(String path, Object value) throws JsonException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new JsonException(path + ": expected an object");
        }
        return new StrictObject(path, (Map<String, Object>) m);
    }

    public static StrictObject parse(String path, String text) throws JsonException {
        return of(path, Json.parse(text));
    }

    public String path() {
        return path;
    }

    public String string(String key) throws JsonException {
        return typed(key, String.class, "a string");
    }

    public String optString(String key, String dflt) throws JsonException {
        return map.containsKey(key) ? string(key) : touch(key, dflt);
    }

    public long integer(String key) throws JsonException {
        return typed(key, Long.class, "an integer");
    }

    public long optInteger(String key, long dflt) throws JsonException {
        return map.containsKey(key) ? integer(key) : touch(key, dflt);
    }

    public StrictObject object(String key) throws JsonException {
        return of(sub(key), require(key));
    }

    /** The object's members, each as a string (for name → value maps). */
    public Map<String, String> stringMap(String key) throws JsonException {
        StrictObject o = object(key);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String k : o.map.keySet()) {
            out.put(k, o.string(k));
        }
        return out;
    }

    public List<StrictObject> objects(String key) throws JsonException {
        List<StrictObject> out = new ArrayList<>();
        List<?> l = typed(key, List.class, "an array");
        for (int i = 0; i < l.size(); i++) {
            out.add(of(sub(key) + "[" + i + "]", l.get(i)));
        }
        return out;
    }

    public List<String> strings(String key) throws JsonException {
        List<String> out = new ArrayList<>();
        List<?> l = typed(key, List.class, "an array");
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw new JsonException(sub(key) + "[" + i + "]: expected a string");
            }
            out.add(s);
        }
        return out;
    }

    /** Fails naming every key that no getter asked for. */
    public void done() throws JsonException {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new JsonException(sub(unknown.iterator().next()) + ": unknown property"
                    + (unknown.size() > 1 ? " (also " + String.join(", ", unknown) + ")" : ""));
        }
    }

    /** Reports an invalid value for a property that parsed fine. */
    public JsonException invalid(String key, String why) {
        return new JsonException(sub(key) + ": " + why);
    }

    private <T> T typed(String key, Class<T> type, String what) throws JsonException {
        Object v = require(key);
        if (!type.isInstance(v)) {
            throw new JsonException(sub(key) + ": expected " + what);
        }
        return type.cast(v);
    }

    private Object require(String key) throws JsonException {
        read.add(key);
        if (!map.containsKey(key)) {
            throw new JsonException(sub(key) + ": missing");
        }
        return map.get(key);
    }

    private <T> T touch(String key, T dflt) {
        read.add(key);
        return dflt;
    }

    private String sub(String key) {
        return path + "." + key;
    }
}
