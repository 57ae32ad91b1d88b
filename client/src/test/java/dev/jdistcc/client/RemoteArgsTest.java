package dev.jdistcc.client;

import static dev.jdistcc.client.ArgScanTest.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's argv and the local cpp command (reference §2.7), plus this client's two fixes. */
class RemoteArgsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -g -O2 -DFOO=1 -I. -include hdr.h -c hello.c -o x18.o          | gcc -g -O2 -c hello.c -o x18.o
            gcc -D X -I inc -U Y -c a.c -o a.o                                 | gcc -c a.c -o a.o
            gcc -L lib -l m -Llib2 -lz -c a.c -o a.o                           | gcc -c a.c -o a.o
            gcc -MD -MF a.d -MT t -MQ q -MP -MG -MMD -c a.c -o a.o             | gcc -c a.c -o a.o
            gcc -MFa.d -MTt -MQq -c a.c -o a.o                                 | gcc -c a.c -o a.o
            gcc -imacros m.h -iprefix p -iwithprefix w -c a.c -o a.o           | gcc -c a.c -o a.o
            gcc -isystem s -isystems2 -iwithprefixbefore b -idirafter d -c a.c -o a.o | gcc -c a.c -o a.o
            gcc -undef -nostdinc -nostdinc++ -c a.c -o a.o                     | gcc -c a.c -o a.o
            g++ -stdlib=libc++ -c a.cc -o a.o                                  | g++ -c a.cc -o a.o
            gcc -Wl,-z,now -c a.c -o a.o                                       | gcc -c a.c -o a.o
            gcc -Wall -Wextra -std=c11 -fPIC -c a.c -o a.o                     | gcc -Wall -Wextra -std=c11 -fPIC -c a.c -o a.o
            gcc -x c -c a.c -o a.o                                             | gcc -x cpp-output -c a.c -o a.o
            g++ -x c++ -c a.c -o a.o                                           | g++ -x c++-cpp-output -c a.c -o a.o
            gcc -x objective-c -c a.m -o a.o                                   | gcc -x objective-c-cpp-output -c a.m -o a.o
            gcc -x c-header -c a.c -o a.o                                      | gcc -x c-header -c a.c -o a.o
            """)
    void serverArgv(String cmd, String expected) {
        assertEquals(argv(expected), RemoteArgs.forServer(argv(cmd)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -c a.c -o a.o                               | gcc -E a.c
            gcc -c a.c -oa.o                                | gcc -E a.c
            gcc -S a.c                                      | gcc -E a.c
            gcc -DX -Iinc -c a.c -o a.o                     | gcc -DX -Iinc -E a.c
            gcc -Wp,-MD,dep.d -c a.c -o obj/a.o             | gcc -Wp,-MD,dep.d -E a.c
            gcc -MD -c src/a.c -o obj/a.o                   | gcc -MD -E src/a.c -MF obj/a.d -MQ obj/a.o
            gcc -MMD -c src/a.c -o obj/a.o                  | gcc -MMD -E src/a.c -MF obj/a.d -MQ obj/a.o
            gcc -MD -MF my.d -c src/a.c -o obj/a.o          | gcc -MD -MF my.d -E src/a.c -MQ obj/a.o
            gcc -MD -MT tgt -c src/a.c -o obj/a.o           | gcc -MD -MT tgt -E src/a.c -MF obj/a.d
            gcc -MD -MQ tgt -MF x.d -c src/a.c -o obj/a.o   | gcc -MD -MQ tgt -MF x.d -E src/a.c
            gcc -MD -c src/a.c                              | gcc -MD -E src/a.c
            gcc -MD -c src/a.c -o obj.d/a                   | gcc -MD -E src/a.c -MF obj.d/a.d -MQ obj.d/a
            gcc -MD -S src/a.c -o out/a.s                   | gcc -MD -E src/a.c -MF out/a.d -MQ out/a.s
            """)
    void preprocessorArgv(String cmd, String expected) {
        var d = (ScanResult.Distributable) ArgScan.scan(ArgExpand.preprocessorOptions(argv(cmd)));
        assertEquals(argv(expected), RemoteArgs.forPreprocessor(argv(cmd), d));
    }
}
