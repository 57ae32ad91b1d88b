package dev.jdistcc.hub.resident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.client.HostSpec;
import org.junit.jupiter.api.Test;

class PeerLocalityTest {
    static HostSpec.Tcp entry(int port, HostSpec.HostOptions o) {
        return new HostSpec.Tcp("127.0.0.1:" + port, "127.0.0.1", port, 2, o);
    }

    static final HostSpec.HostOptions LZ4 = new HostSpec.HostOptions(false, false, true, false, false);
    static final HostSpec.HostOptions LZO = new HostSpec.HostOptions(true, false, false, false, false);

    /** Every host lacks every toolchain; only {@code peer} is a registered jdistcc volunteer. */
    static PeerLocality lackingAll(int peer) {
        PeerLocality p = new PeerLocality();
        p.source(new ToolchainLocality() {
            @Override
            public Boolean holds(HostSpec.Tcp host, String digest) {
                return Boolean.FALSE;
            }

            @Override
            public boolean jdistccPeer(HostSpec.Tcp host) {
                return host.port() == peer;
            }
        });
        return p;
    }

    @Test
    void aHostListedLz4OrRegisteredButListedPlainIsUsedAsAJdistccPeer() {
        PeerLocality p = lackingAll(1002);
        HostSpec.Tcp listed = entry(1001, LZ4);
        HostSpec.Tcp plain = entry(1002, HostSpec.HostOptions.NONE);
        HostSpec.Tcp lzo = entry(1002, LZO);
        assertSame(listed, p.asUsed(listed), "already the extension");
        assertTrue(p.upgradable(plain));
        assertTrue(p.upgradable(lzo));
        HostSpec used = p.asUsed(lzo);
        assertEquals(new HostSpec.Tcp(lzo.spec(), lzo.host(), lzo.port(), lzo.slots(),
                new HostSpec.HostOptions(true, false, true, false, false)), used);
        assertTrue(p.lacks(listed, "d1"));
        assertTrue(p.lacks(plain, "d1"));
    }

    @Test
    void anUnregisteredPlainHostIsNotUpgraded() {
        PeerLocality p = lackingAll(1002);
        HostSpec.Tcp stock = entry(1001, HostSpec.HostOptions.NONE);
        assertFalse(p.upgradable(stock));
        assertSame(stock, p.asUsed(stock));
        assertFalse(p.lacks(stock, "d1"), "a stock distccd is never asked to fetch a toolchain");
    }

    @Test
    void cppAndAuthHostsAreNeverUpgraded() {
        PeerLocality p = lackingAll(1002);
        HostSpec.Tcp pump = entry(1002, new HostSpec.HostOptions(true, true, false, false, false));
        HostSpec.Tcp auth = entry(1002, new HostSpec.HostOptions(false, false, false, false, true));
        for (HostSpec.Tcp h : new HostSpec.Tcp[] {pump, auth}) {
            assertFalse(p.upgradable(h), h.spec());
            assertSame(h, p.asUsed(h));
            assertFalse(p.lacks(h, "d1"));
        }
    }

    @Test
    void aToolchainCountsAsHeldAfterAJobWasSentThere() {
        PeerLocality p = lackingAll(1002);
        HostSpec.Tcp a = entry(1001, LZ4);
        HostSpec.Tcp b = entry(1002, HostSpec.HostOptions.NONE);
        p.sent(a, "d1");
        p.sent(p.asUsed(b), "d1");
        assertFalse(p.lacks(a, "d1"));
        assertFalse(p.lacks(b, "d1"), "sent as upgraded, held as listed");
        assertTrue(p.lacks(a, "d2"), "only the toolchain the job named");
        assertTrue(p.lacks(entry(1003, LZ4), "d1"), "only the host it went to");
        p.sent(b, "d2");   // as listed, plain: the job named no toolchain there
        assertTrue(p.lacks(b, "d2"));
    }

    @Test
    void aNullDigestNeverLacks() {
        PeerLocality p = lackingAll(1002);
        assertFalse(p.lacks(entry(1001, LZ4), null));
        assertFalse(p.lacks(entry(1002, HostSpec.HostOptions.NONE), null));
    }
}
