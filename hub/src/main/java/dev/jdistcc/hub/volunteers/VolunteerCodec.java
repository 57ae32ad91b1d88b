package dev.jdistcc.hub.volunteers;

import dev.jdistcc.toolchain.ToolchainDigest;
import dev.jdistcc.toolchain.json.Json;
import dev.jdistcc.toolchain.json.JsonException;
import dev.jdistcc.toolchain.json.StrictObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON forms of the registration API (strict and versioned like every document here).
 * Registration/heartbeat body: {@code {"kind":"jdistcc.volunteer","version":1,"port":3632,"cpus":4,"jobs":4,
 * "arch":"x86_64","toolchains":["<digest>",…],"address":"192.0.2.7"}}; {@code address} is optional.
 */
public final class VolunteerCodec {
    public static final String KIND = "jdistcc.volunteer";
    public static final String LIST_KIND = "jdistcc.volunteer-list";

    private VolunteerCodec() {
    }

    /** Parses a registration; {@code peerAddress} is used when the body names no address. */
    public static Volunteer read(String id, String body, String peerAddress) throws JsonException {
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new JsonException("volunteer id: 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        StrictObject o = StrictObject.parse("volunteer", body);
        if (!KIND.equals(o.string("kind")) || o.integer("version") != 1) {
            throw o.invalid("kind", "expected kind " + KIND + " version 1");
        }
        String address = o.optString("address", peerAddress);
        if (!address.matches("[0-9A-Za-z.:%-]{1,255}")) {
            throw o.invalid("address", "not a host name or IP address");
        }
        int port = (int) range(o, "port", 1, 65535);
        int cpus = (int) range(o, "cpus", 1, 4096);
        int jobs = (int) range(o, "jobs", 1, 4096);
        String arch = o.string("arch");
        List<String> toolchains = o.strings("toolchains");
        for (String t : toolchains) {
            if (!ToolchainDigest.isValid(t)) {
                throw o.invalid("toolchains", "\"" + t + "\" is not a toolchain digest");
            }
        }
        o.done();
        return new Volunteer(id, address, port, cpus, jobs, arch, toolchains, Instant.EPOCH);
    }

    public static String write(Volunteer v, boolean withId) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withId) {
            m.put("id", v.id());
        } else {
            m.put("kind", KIND);
            m.put("version", 1L);
        }
        m.put("address", v.address());
        m.put("port", (long) v.port());
        m.put("cpus", (long) v.cpus());
        m.put("jobs", (long) v.jobs());
        m.put("arch", v.arch());
        m.put("toolchains", new ArrayList<Object>(v.toolchains()));
        if (withId) {
            m.put("lastSeen", v.lastSeen().toString());
        }
        return Json.write(m, false);
    }

    public static String writeList(List<Volunteer> vs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", LIST_KIND);
        m.put("version", 1L);
        List<Object> list = new ArrayList<>();
        for (Volunteer v : vs) {
            try {
                list.add(Json.parse(write(v, true)));
            } catch (JsonException e) {
                throw new IllegalStateException(e);
            }
        }
        m.put("volunteers", list);
        return Json.write(m, true);
    }

    /** The distcc host-list form, one volunteer per line. */
    public static String writeHosts(List<Volunteer> vs) {
        StringBuilder sb = new StringBuilder();
        vs.forEach(v -> sb.append(v.distccHostSpec()).append('\n'));
        return sb.toString();
    }

    private static long range(StrictObject o, String key, long min, long max) throws JsonException {
        long v = o.integer(key);
        if (v < min || v > max) {
            throw o.invalid(key, "must be between " + min + " and " + max);
        }
        return v;
    }
}
