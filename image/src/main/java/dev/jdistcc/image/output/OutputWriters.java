package dev.jdistcc.image.output;

import dev.jdistcc.image.PlanException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The table of output formats. A new format is a new {@link OutputWriter} here, not a new branch elsewhere. */
public final class OutputWriters {

    private static final Map<String, OutputWriter> ALL = new TreeMap<>();

    static {
        for (OutputWriter w : List.of(new KernelInitrdWriter(), new IsoWriter(), new NetbootWriter())) {
            ALL.put(w.name(), w);
        }
    }

    private OutputWriters() {}

    public static OutputWriter byName(String name) throws PlanException {
        OutputWriter w = ALL.get(name);
        if (w == null) {
            throw new PlanException("outputs: unknown output '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return w;
    }

    public static Map<String, OutputWriter> all() {
        return Map.copyOf(ALL);
    }
}
