package dev.jdistcc.netboot.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteRangeTest {

    static ByteRange r(String h) {
        return ByteRange.parse(h, 1000);
    }

    @Test
    void satisfiableRangesAreClampedToTheFile() {
        assertEquals(new ByteRange.Part(0, 499), r("bytes=0-499"));
        assertEquals(new ByteRange.Part(500, 999), r("bytes=500-"));
        assertEquals(new ByteRange.Part(900, 999), r("bytes=-100"));
        assertEquals(new ByteRange.Part(0, 999), r("bytes=-5000"));
        assertEquals(new ByteRange.Part(990, 999), r("bytes=990-99999999999999999999"));
        assertEquals(new ByteRange.Part(7, 7), r("Bytes=7-7"));
    }

    @Test
    void rangesStartingPastTheEndAreUnsatisfiable() {
        assertEquals(new ByteRange.Unsatisfiable(), r("bytes=1000-"));
        assertEquals(new ByteRange.Unsatisfiable(), r("bytes=-0"));
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.parse("bytes=0-0", 0));
    }

    @Test
    void missingMalformedOrMultipleRangesGetTheWholeFile() {
        for (String h : new String[] {null, "", "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=0-1,5-9", "bytes=1"}) {
            assertEquals(new ByteRange.Whole(), r(h), String.valueOf(h));
        }
    }
}
