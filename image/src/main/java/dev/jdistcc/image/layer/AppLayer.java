package dev.jdistcc.image.layer;

import dev.jdistcc.image.ImageException;
import dev.jdistcc.image.deb.DebStore;
import dev.jdistcc.image.plan.ImagePlan;
import dev.jdistcc.image.tree.RootTree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The small layer rebuilt whenever the server changes: the server's jars (Undertow and friends are not
 * named modules, so they stay on the classpath beside the runtime rather than inside it), {@code /init},
 * its settings from the plan, the server command, the DHCP hook and the user database.
 */
public final class AppLayer {

    /** Where the server's jars live inside the appliance ({@code -cp '/opt/jdistcc/lib/*'}). */
    public static final String LIB = "opt/jdistcc/lib";

    private AppLayer() {}

    public static Layer build(ImagePlan plan, List<Path> jars, LayerCache cache) throws ImageException, IOException {
        RootTree tree = tree(plan, jars);
        StringBuilder key = new StringBuilder();
        for (RootTree.Entry e : tree.entries()) {
            key.append(e.path()).append(' ').append(switch (e) {
                case RootTree.Dir d -> "dir " + Integer.toOctalString(d.mode());
                case RootTree.Symlink s -> "-> " + s.target();
                case RootTree.File f -> Integer.toOctalString(f.mode()) + " " + digest(f);
            }).append('\n');
        }
        return cache.layer("app", key.toString(), scratch -> tree);
    }

    static RootTree tree(ImagePlan plan, List<Path> jars) {
        ImagePlan.Init init = plan.init();
        RootTree tree = new RootTree();
        tree.text("init", resource("init.sh"), 0755);
        tree.text("usr/share/udhcpc/default.script", resource("udhcpc.script"), 0755);
        tree.text("etc/jdistcc/appliance.conf", conf(plan), 0644);
        tree.text("etc/jdistcc/server.sh", "#!/bin/sh\n# The server command: the image plan's init.command, run by /init as "
                + init.user() + ".\ncd \"$HOME\" || exit 1\n" + init.command() + "\n", 0755);
        tree.text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n" + init.user() + ":x:" + init.uid() + ":" + init.uid()
                + ":jdistcc server:/home/" + init.user() + ":/bin/sh\n", 0644);
        tree.text("etc/group", "root:x:0:\n" + init.user() + ":x:" + init.uid() + ":\n", 0644);
        tree.text("etc/hostname", init.hostname() + "\n", 0644);
        // An empty DISTCC_CMDLIST for the server: the appliance carries no compilers of its own, so no
        // compiler name from a client may run; it compiles only with toolchains fetched from the hub.
        tree.text("etc/jdistcc/local-compilers", "", 0644);
        tree.dir(LIB);
        for (Path jar : jars) {
            tree.file(LIB + "/" + jar.getFileName(), jar, 0644);
        }
        return tree;
    }

    private static String conf(ImagePlan plan) {
        ImagePlan.Init init = plan.init();
        return "# Generated from the image plan; read by /init.\n"
                + "IMAGE_NAME=" + quote(plan.name()) + "\n"
                + "SERVER_USER=" + quote(init.user()) + "\n"
                + "SERVER_UID=" + init.uid() + "\n"
                + "SERVER_PORT=" + init.port() + "\n"
                + "APPLIANCE_HOSTNAME=" + quote(init.hostname()) + "\n"
                + "RESTART_DELAY=" + init.restartDelaySeconds() + "\n";
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String digest(RootTree.File f) {
        try {
            return f.bytes() != null ? LayerCache.digest(f.bytes())
                    : DebStore.sha256(f.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = AppLayer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
