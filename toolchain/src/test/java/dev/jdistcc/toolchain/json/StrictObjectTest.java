package dev.jdistcc.toolchain.json;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictObjectTest {
    @Test
    void duplicateKeysAndTrailingDataAreMalformed() {
        assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(JsonException.class, () -> Json.parse("{} x"));
        assertThrows(JsonException.class, () -> Json.parse("[1,]"));
    }

    @Test
    void wrongTypeNamesThePropertyPath() throws Exception {
        StrictObject o = StrictObject.parse("cfg", "{\"port\":\"80\"}");
        JsonException e = assertThrows(JsonException.class, () -> o.integer("port"));
        assertEquals("cfg.port: expected an integer", e.getMessage());
    }

    @Test
    void unreadKeysAreReportedByDone() throws Exception {
        StrictObject o = StrictObject.parse("cfg", "{\"port\":80,\"prot\":1}");
        o.integer("port");
        JsonException e = assertThrows(JsonException.class, o::done);
        assertTrue(e.getMessage().startsWith("cfg.prot: unknown property"), e.getMessage());
    }

    @Test
    void stringsWithEscapesRoundTrip() throws Exception {
        String s = "a\"b\\c\n\u0001é";
        assertEquals(s, Json.parse(Json.write(s, false)));
    }
}
