package dev.jdistcc.client;

import java.util.List;

/**
 * A parsed host list and the settings it carries.
 *
 * @param hosts        the hosts in the order to try them (after {@code --randomize})
 * @param localSlots     concurrency of jobs that must run locally ({@code --localslots}, default 4)
 * @param localSlotsCpp  concurrency of local preprocessing ({@code --localslots_cpp}, default 8)
 * @param source       where the list came from, for messages ("$DISTCC_HOSTS" or a file name)
 */
public record HostList(List<HostSpec> hosts, int localSlots, int localSlotsCpp, String source) {
    public static final int DEFAULT_LOCAL_SLOTS = 4;
    public static final int DEFAULT_LOCAL_SLOTS_CPP = 8;

    public HostList {
        hosts = List.copyOf(hosts);
    }

    /** What {@code distcc -j} prints: the sum of every host's slots. */
    public int totalSlots() {
        return hosts.stream().mapToInt(HostSpec::slots).sum();
    }
}
