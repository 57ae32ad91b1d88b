package dev.jdistcc.hub;

import dev.jdistcc.hub.volunteers.InMemoryVolunteerRegistry;
import dev.jdistcc.hub.volunteers.Volunteer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolunteerRegistrationTest {
    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();

    /** A clock the test moves by hand: expiry is tested without sleeping. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId z) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    static final String BODY = """
            {"kind":"jdistcc.volunteer","version":1,"port":3632,"cpus":4,"jobs":6,"arch":"x86_64","toolchains":["%s"]}""";

    HttpResponse<String> put(HubServer s, String id, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(s.url().resolve("v1/volunteers/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String get(HubServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(s.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void registrationThenHeartbeatListsTheVolunteerInJsonTextAndTheHostsFile() throws Exception {
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10));
        Path hosts = tmp.resolve("hosts");
        try (HubServer s = HubServer.builder(HubHttpTest.store(tmp, null, null, false), reg).hostsFile(hosts).start()) {
            HttpResponse<String> first = put(s, "vol-1", BODY.formatted("a".repeat(64)));
            assertEquals(201, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"heartbeatSeconds\":10"), first.body());
            assertEquals(200, put(s, "vol-1", BODY.formatted("b".repeat(64))).statusCode());
            assertEquals("127.0.0.1:3632/6,lzo\n", get(s, "v1/volunteers.txt"));
            String json = get(s, "v1/volunteers");
            assertTrue(json.contains("\"id\": \"vol-1\"") && json.contains("b".repeat(64)), json);
            assertEquals("127.0.0.1:3632/6,lzo\n", Files.readString(hosts));
            assertEquals(204, http.send(HttpRequest.newBuilder(s.url().resolve("v1/volunteers/vol-1")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals("", Files.readString(hosts));
        }
    }

    @Test
    void registrationWithAnUnknownPropertyIsRejectedNamingIt() throws Exception {
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(Clock.systemUTC(), Duration.ofSeconds(10));
        try (HubServer s = HubServer.builder(HubHttpTest.store(tmp, null, null, false), reg).start()) {
            HttpResponse<String> r = put(s, "vol-1", BODY.formatted("a".repeat(64)).replace("\"cpus\"", "\"cpu\":1,\"cpus\""));
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("volunteer.cpu: unknown property"), r.body());
            assertEquals(400, put(s, "../etc", BODY.formatted("a".repeat(64))).statusCode() / 100 * 100);
        }
    }

    @Test
    void volunteerSilentForThreeHeartbeatIntervalsIsDropped() {
        ManualClock clock = new ManualClock();
        InMemoryVolunteerRegistry reg = new InMemoryVolunteerRegistry(clock, Duration.ofSeconds(10));
        int[] changes = {0};
        reg.onChange(() -> changes[0]++);
        reg.heartbeat(new Volunteer("a", "127.0.0.2", 3632, 2, 2, "x86_64", List.of(), Instant.EPOCH));
        reg.heartbeat(new Volunteer("b", "127.0.0.3", 3632, 2, 2, "x86_64", List.of(), Instant.EPOCH));
        clock.now = clock.now.plusSeconds(20);
        reg.heartbeat(new Volunteer("b", "127.0.0.3", 3632, 2, 2, "x86_64", List.of(), Instant.EPOCH));
        clock.now = clock.now.plusSeconds(15);
        assertEquals(List.of("a"), reg.expire().stream().map(Volunteer::id).toList());
        assertEquals(List.of("b"), reg.live().stream().map(Volunteer::id).toList());
        assertEquals(3, changes[0], "two joins and one drop; an unchanged heartbeat is not a change");
    }
}
