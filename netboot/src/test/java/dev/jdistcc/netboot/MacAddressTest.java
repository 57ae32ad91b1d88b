package dev.jdistcc.netboot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressTest {

    @Test
    void colonHyphenAndBareHexSpellingsAreTheSameAddress() throws Exception {
        MacAddress a = MacAddress.parse("52:54:00:12:34:5A");
        assertEquals(a, MacAddress.parse("52-54-00-12-34-5a"));
        assertEquals(a, MacAddress.parse("5254001234 5a".replace(" ", "")));
        assertEquals("52:54:00:12:34:5a", a.colon());
        assertEquals("52-54-00-12-34-5a", a.hyphen());
    }

    @Test
    void allZeroAndAllOnesPrintInFull() {
        assertEquals("00:00:00:00:00:00", new MacAddress(0).colon());
        assertEquals("ff-ff-ff-ff-ff-ff", new MacAddress(0xFFFF_FFFF_FFFFL).hyphen());
    }

    @Test
    void malformedAddressesAreRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"", "52:54:00:12:34", "52:54-00:12:34:56", "52:54:00:12:34:5g", "../etc",
                "52:54:00:12:34:56:78"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> MacAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("52:54:00:12:34:56"), e.getMessage());
        }
    }
}
