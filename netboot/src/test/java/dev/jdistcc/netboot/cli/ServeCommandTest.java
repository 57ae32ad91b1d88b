package dev.jdistcc.netboot.cli;

import dev.jdistcc.netboot.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals that happen before anything is started; they need no root and no network. */
class ServeCommandTest {

    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = NetbootMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    String[] serve(String iface, String... extra) throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initrd.img"), "i");
        List<String> a = new ArrayList<>(List.of("serve", "-i", iface, "--kernel", dir.resolve("vmlinuz").toString(),
                "--initrd", dir.resolve("initrd.img").toString(), "--hub-url", "http://10.0.0.1:3633/", "--key", TestKeys.KEY));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void unknownInterfaceIsRefusedListingTheExistingOnes() throws Exception {
        assertEquals(2, run(serve("nbt-nope0")));
        assertTrue(err.toString().contains("there is no network interface 'nbt-nope0'") && err.toString().contains("lo"),
                err.toString());
    }

    @Test
    void loopbackIsRefused() throws Exception {
        assertEquals(2, run(serve("lo")));
        assertTrue(err.toString().contains("loopback"), err.toString());
    }

    @Test
    void missingKernelIsRefusedBeforeTouchingTheNetwork() throws Exception {
        String[] args = serve("nbt-nope0");
        Files.delete(dir.resolve("vmlinuz"));
        assertEquals(2, run(args));
        assertTrue(err.toString().contains("vmlinuz does not exist"), err.toString());
    }

    @Test
    void malformedHubUrlIsRefusedBeforeTouchingTheNetwork() throws Exception {
        String[] args = serve("nbt-nope0");
        args[args.length - 3] = "10.0.0.1:3633";
        assertEquals(2, run(args));
        assertTrue(err.toString().contains("hub URL '10.0.0.1:3633'"), err.toString());
    }

    @Test
    void netbootDirThatIsNotAnImageOutputIsRefused() throws Exception {
        assertEquals(2, run("serve", "-i", "nbt-nope0", "--netboot-dir", dir.toString(), "--hub-url",
                "http://10.0.0.1:3633/", "--key", TestKeys.KEY));
        assertTrue(err.toString().contains("netboot/ output of the image builder"), err.toString());
    }

    @Test
    void proxyAndDhcpRangeTogetherIsAUsageError() throws Exception {
        assertEquals(2, run(serve("lo", "--proxy", "--dhcp-range", "10.0.0.5-10.0.0.9")));
        assertTrue(err.toString().contains("expected only one match"), err.toString());
    }

    @Test
    void tftpRootCommandWritesPinnedBinariesAndTheEntryStub() throws Exception {
        assertEquals(0, run("tftp-root", dir.resolve("tftp").toString(), "--base-url", "http://10.0.2.100:8000/"));
        assertTrue(Files.readString(dir.resolve("tftp/boot.ipxe")).contains("chain http://10.0.2.100:8000/boot/"));
        assertTrue(Files.isRegularFile(dir.resolve("tftp/undionly.kpxe")) && Files.isRegularFile(dir.resolve("tftp/snponly.efi")));
    }
}
