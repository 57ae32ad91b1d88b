package dev.jdistcc.netboot;

import java.util.Map;

/**
 * Which {@link BootConfig} a machine gets, by the MAC address iPXE puts in the script URL. The hub can
 * implement this over its volunteer list; {@link #perMac} is the fixed table {@code serve} uses.
 */
@FunctionalInterface
public interface BootConfigs {

    BootConfig forMac(MacAddress mac);

    static BootConfigs fixed(BootConfig config) {
        return mac -> config;
    }

    /** {@code table}'s entry for a known MAC, {@code fallback} for every other machine. */
    static BootConfigs perMac(Map<MacAddress, BootConfig> table, BootConfig fallback) {
        Map<MacAddress, BootConfig> copy = Map.copyOf(table);
        return mac -> copy.getOrDefault(mac, fallback);
    }
}
