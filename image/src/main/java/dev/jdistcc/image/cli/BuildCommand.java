package dev.jdistcc.image.cli;

import dev.jdistcc.image.BuildListener;
import dev.jdistcc.image.BuildResult;
import dev.jdistcc.image.ImageBuilder;
import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.layer.Layer;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.plan.PlanParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "build", description = "Builds every output the plan names into --out, reporting sizes and times.")
final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--plan", required = true, description = "the image plan, e.g. image/examples/appliance.plan")
    Path plan;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--cache", description = "cache for packages, extracted kernels, runtimes and layers (default: ${DEFAULT-VALUE})")
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "jdistcc-image");

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a plan key, e.g. --set compression.level=3 --set 'boot.cmdline=console=ttyS0 jdistcc.hub=http://10.0.0.2:3633/'")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--stacktrace", description = "show stack traces of failures")
    boolean stacktrace;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Map<String, String> sets = new LinkedHashMap<>(overrides);
            String sde = System.getenv("SOURCE_DATE_EPOCH");
            if (sde != null && !sets.containsKey("source-date-epoch")) {
                sets.put("source-date-epoch", sde);
            }
            ImagePlan p = PlanParser.parse(plan, sets);
            BuildResult r = new ImageBuilder(cache, new Progress(o)).build(p, out);
            report(o, r);
            return 0;
        } catch (ImageException | IOException e) {
            err.println("jdistcc-image: " + e.getClass().getSimpleName().replace("Exception", "") + " error: " + e.getMessage());
            if (stacktrace) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof ImageException ? 2 : 1;
        }
    }

    private static void report(PrintWriter o, BuildResult r) throws IOException {
        o.println();
        o.printf("kernel %s: vmlinuz %s%n", r.kernelRelease(), ImageBuilder.mib(r.vmlinuzBytes()));
        for (Layer l : r.layers()) {
            o.printf("  layer %-8s %9s zstd  %9s unpacked  %6d entries%s%n", l.name(), ImageBuilder.mib(l.compressed()),
                    ImageBuilder.mib(l.uncompressed()), l.entries(), l.cached() ? "  (cached)" : "");
        }
        o.printf("initrd %s, unpacked in RAM %s%n", ImageBuilder.mib(r.initrdBytes()), ImageBuilder.mib(r.unpackedBytes()));
        for (var e : r.outputs().entrySet()) {
            for (Path f : e.getValue()) {
                o.printf("  %-14s %s (%s)%n", e.getKey(), f, ImageBuilder.mib(Files.size(f)));
            }
        }
        o.printf("total %s%n", seconds(r.total()));
        o.flush();
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    /** Renders build progress as one line per finished step. */
    private record Progress(PrintWriter o) implements BuildListener {
        @Override
        public void started(String step) {
            o.printf("%-22s …%n", step);
            o.flush();
        }

        @Override
        public void finished(String step, Duration took, boolean cached, String detail) {
            o.printf("%-22s %7s%s  %s%n", step, seconds(took), cached ? " cached" : "", detail);
            o.flush();
        }
    }

}
