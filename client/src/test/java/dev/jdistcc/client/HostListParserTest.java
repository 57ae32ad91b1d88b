package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdistcc.protocol.WireVersion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The host-list grammar of reference §2.8, valid and invalid, and what -j prints. */
class HostListParserTest {

    @ParameterizedTest(name = "{0} → tcp {1}:{2}/{3} v{4}")
    @CsvSource(delimiter = '|', textBlock = """
            box                      | box       | 3632  | 4 | 1
            box:4000                 | box       | 4000  | 4 | 1
            box/8                    | box       | 3632  | 8 | 1
            box:4000/8               | box       | 4000  | 8 | 1
            box/8:4000               | box       | 4000  | 8 | 1
            box,lzo                  | box       | 3632  | 4 | 2
            box:4000/2,lzo           | box       | 4000  | 2 | 2
            box,lzo,cpp              | box       | 3632  | 4 | 2
            box,cpp,lzo              | box       | 3632  | 4 | 2
            10.0.0.1:4000/8,lzo      | 10.0.0.1  | 4000  | 8 | 2
            [::1]                    | ::1       | 3632  | 4 | 1
            [::1]:3700/2,lzo,cpp     | ::1       | 3700  | 2 | 2
            [fe80::1%eth0]:3632      | fe80::1%eth0 | 3632 | 4 | 1
            localhost:3632           | localhost | 3632  | 4 | 1
            box,down                 | box       | 3632  | 4 | 1
            """)
    void tcpHosts(String spec, String host, int port, int slots, int version) throws Exception {
        HostSpec.Tcp t = assertInstanceOf(HostSpec.Tcp.class, only(spec));
        assertEquals(spec, t.spec());
        assertEquals(host, t.host());
        assertEquals(port, t.port());
        assertEquals(slots, t.slots());
        assertEquals(new WireVersion(version), t.version());
    }

    @Test
    void lz4SelectsTheJdistccExtension() throws Exception {
        HostSpec.Tcp t = (HostSpec.Tcp) only("box:4000,lz4");
        assertEquals(WireVersion.extension(WireVersion.FEATURE_LZ4), t.version());
    }

    @Test
    void cppHostsAreDemotedToProtocol2() throws Exception {
        assertEquals(WireVersion.V2, ((HostSpec.Tcp) only("box,lzo,cpp")).version());
    }

    @Test
    void downIsRecorded() throws Exception {
        assertTrue(((HostSpec.Tcp) only("box,down")).options().down());
    }

    @ParameterizedTest(name = "{0} → ssh user={1} host={2} cmd={3} /{4}")
    @CsvSource(delimiter = '|', textBlock = """
            @box                          |      | box  |                    | 4 | 1
            ted@box2                      | ted  | box2 |                    | 4 | 1
            @box/6                        |      | box  |                    | 6 | 1
            ted@box/3:/opt/bin/distccd    | ted  | box  | /opt/bin/distccd   | 3 | 1
            @box:/opt/distccd,lzo         |      | box  | /opt/distccd       | 4 | 2
            @box,lzo,cpp                  |      | box  |                    | 4 | 2
            """)
    void sshHosts(String spec, String user, String host, String command, int slots, int version) throws Exception {
        HostSpec.Ssh s = assertInstanceOf(HostSpec.Ssh.class, only(spec));
        assertEquals(user, s.user());
        assertEquals(host, s.host());
        assertEquals(command, s.command());
        assertEquals(slots, s.slots());
        assertEquals(new WireVersion(version), s.version());
    }

    @ParameterizedTest(name = "{0} → localhost/{1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost     | 2
            localhost/3   | 3
            localhost/12  | 12
            """)
    void localhost(String spec, int slots) throws Exception {
        HostSpec.Local l = assertInstanceOf(HostSpec.Local.class, only(spec));
        assertEquals(slots, l.slots());
    }

    @ParameterizedTest(name = "[{0}] is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            box,zstd                     | unrecognized option
            box,lzoX                     | unrecognized option
            box,                         | unrecognized option
            box,cpp                      | requires compression
            box,lzo,lz4                  | one compression
            box,auth                     | GSS-API
            box/0                        | bad multiplier
            box/x                        | bad multiplier
            box/                         | bad multiplier
            box:                         | invalid tcp port
            box:http                     | invalid tcp port
            box:70000                    | invalid tcp port
            box:0                        | invalid tcp port
            box:4000x                    | unexpected
            box/4/5                      | unexpected
            [::1                         | closing ']'
            []:3632                      | hostname is required
            ::1                          | hostname is required
            :3632                        | hostname is required
            user@                        | hostname is required
            user@:cmd                    | hostname is required
            @box:                        | empty command
            localhost/0                  | bad multiplier
            localhost/2,lzo              | unexpected
            --localslots                 | expected =N
            --localslots=0               | bad multiplier
            --localslots_cpp=x           | bad multiplier
            --localslots=3x              | unexpected
            +zeroconf                    | zeroconf
            good bad,zstd                | unrecognized option
            ''                           | contained no hosts
            '  # only a comment'         | contained no hosts
            --randomize                  | contained no hosts
            """)
    void invalidListsAreRejectedWhole(String text, String message) {
        HostListException e = assertThrows(HostListException.class,
                () -> HostListParser.parse(text, "$DISTCC_HOSTS", 1));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void commentsAndWhitespaceSeparateTokens() throws Exception {
        HostList l = HostListParser.parse("a#comment b\n  b:1\t# c\r\nc/2 --localslots=3 --localslots_cpp/5",
                "$DISTCC_HOSTS", 1);
        assertEquals(List.of("a", "b:1", "c/2"), l.hosts().stream().map(HostSpec::spec).toList());
        assertEquals(3, l.localSlots());
        assertEquals(5, l.localSlotsCpp());
    }

    @Test
    void concurrencyIsTheSumOfSlotsAsStockPrintsIt() throws Exception {
        // The observed stock example of reference §2.1: prints 26.
        assertEquals(26, HostListParser.parse(
                "localhost/3 10.0.0.1:4000/8,lzo [::1]:3632/2,lzo,cpp @box/6 ted@box2 old/3:4200", "x", 1).totalSlots());
        assertEquals(12, HostListParser.parse("a b c", "x", 1).totalSlots());
    }

    @Test
    void randomizeIsStableForOneSeedAndKeepsEveryHost() throws Exception {
        String text = "--randomize a b c d e f g h";
        List<String> one = HostListParser.parse(text, "x", 42).hosts().stream().map(HostSpec::spec).toList();
        assertEquals(one, HostListParser.parse(text, "x", 42).hosts().stream().map(HostSpec::spec).toList());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h"), one.stream().sorted().toList());
    }

    @Test
    void displayNamesMatchDistccLogs() throws Exception {
        assertEquals("127.0.0.1:3701", only("127.0.0.1:3701").displayName());
        assertEquals("[::1]:3632", only("[::1]").displayName());
        assertEquals("localhost", only("localhost/4").displayName());
    }

    private static HostSpec only(String spec) throws HostListException {
        HostList l = HostListParser.parse(spec, "$DISTCC_HOSTS", 1);
        assertEquals(1, l.hosts().size());
        return l.hosts().getFirst();
    }
}
