package dev.jdistcc.netboot;

/**
 * The two iPXE scripts netboot hands out. Scripts only use commands present in the 2019 iPXE that
 * Debian ships (and that QEMU's NIC ROMs contain): {@code chain}, {@code kernel}, {@code initrd},
 * {@code boot}, {@code echo}, {@code sleep}, {@code reboot}, and the {@code ${netX/mac:hexhyp}} setting.
 */
public final class IpxeScript {

    private IpxeScript() {}

    /**
     * The entry script every machine loads first (from the DHCP boot file name or a TFTP stub). A
     * DHCP server cannot put the client's MAC into the URL, but iPXE can: it chains to the per-machine
     * script under {@code <base>/boot/<mac>/}.
     *
     * @param baseUrl where the netboot handler is mounted, without a trailing slash
     */
    public static String entry(String baseUrl) {
        return """
                #!ipxe
                # jdistcc netboot entry: continue with this machine's own script
                chain %s/boot/${netX/mac:hexhyp}/boot.ipxe || goto failed
                :failed
                echo jdistcc: cannot fetch the boot script from %s; rebooting in 10 s
                sleep 10
                reboot
                """.formatted(baseUrl, baseUrl);
    }

    /**
     * The per-machine script: kernel and initrds from {@code <base>/boot/<mac>/} (the MAC in the path
     * lets the server attribute transferred bytes to the booting machine while the file names stay the
     * ones the EFI stub expects), then boot. Any failure reboots, which restarts the whole PXE chain.
     */
    public static String boot(String baseUrl, MacAddress mac, BootArtifacts artifacts, String cmdline) {
        String dir = baseUrl + "/boot/" + mac.hyphen() + "/";
        StringBuilder s = new StringBuilder()
                .append("#!ipxe\n")
                .append("# jdistcc volunteer appliance for ").append(mac.colon()).append('\n')
                .append("echo jdistcc: booting the volunteer appliance from ").append(baseUrl).append('\n')
                .append("kernel ").append(dir).append(artifacts.kernel().name()).append(' ').append(cmdline)
                .append(" || goto failed\n");
        for (BootFile initrd : artifacts.initrds()) {
            s.append("initrd ").append(dir).append(initrd.name()).append(" || goto failed\n");
        }
        return s.append("boot || goto failed\n")
                .append(":failed\n")
                .append("echo jdistcc: netboot failed; rebooting in 10 s\n")
                .append("sleep 10\n")
                .append("reboot\n")
                .toString();
    }
}
