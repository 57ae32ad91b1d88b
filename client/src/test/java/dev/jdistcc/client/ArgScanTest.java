package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The distcc 3.4 argument scan as a table (reference §2.4). Arguments are space-separated in each row. */
class ArgScanTest {

    static List<String> argv(String s) {
        return Arrays.asList(s.split(" "));
    }

    @ParameterizedTest(name = "{0} → {1} -o {2}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -c hello.c                              | hello.c        | hello.o
            gcc -c hello.c -o x.o                       | hello.c        | x.o
            gcc -c hello.c -ox.o                        | hello.c        | x.o
            gcc -S hello.c                              | hello.c        | hello.s
            gcc -c -S hello.c                           | hello.c        | hello.s
            gcc -c src/dir/hello.cpp                    | src/dir/hello.cpp | hello.o
            g++ -c a.cc -o obj/a.o                      | a.cc           | obj/a.o
            g++ -c a.cxx                                | a.cxx          | a.o
            g++ -c a.C                                  | a.C            | a.o
            g++ -c a.c++                                | a.c++          | a.o
            gcc -c a.cp                                 | a.cp           | a.o
            gcc -c pre.i                                | pre.i          | pre.o
            g++ -c pre.ii                               | pre.ii         | pre.o
            gcc -c objc.m                               | objc.m         | objc.o
            gcc -c objc.mm                              | objc.mm        | objc.o
            gcc -c objc.mi                              | objc.mi        | objc.o
            gcc -c objc.mii                             | objc.mii       | objc.o
            gcc -c objc.M                               | objc.M         | objc.o
            gcc -c hello.2.4.c                          | hello.2.4.c    | hello.2.4.o
            gcc -c -MD -MF x.d hello.c                  | hello.c        | hello.o
            gcc -c -MMD -MT t -MQ q hello.c             | hello.c        | hello.o
            gcc -c -MFdep.d -MTtgt hello.c              | hello.c        | hello.o
            gcc -c -MD -MP -MG hello.c                  | hello.c        | hello.o
            gcc -c -MF foo.c hello.c                    | hello.c        | hello.o
            gcc -c -x c hello.c                         | hello.c        | hello.o
            gcc -c -x c++ hello.c                       | hello.c        | hello.o
            gcc -c -x objective-c hello.m               | hello.m        | hello.o
            gcc -c -g -O2 -DX=1 -Iinc hello.c           | hello.c        | hello.o
            gcc -c -march=x86-64 hello.c                | hello.c        | hello.o
            gcc -c -fprofile-arcsX hello.c              | hello.c        | hello.o
            gcc -c -dM hello.c                          | hello.c        | hello.o
            gcc -c -Wa,--noexecstack hello.c            | hello.c        | hello.o
            gcc -c -fplugin=x.so hello.c                | hello.c        | hello.o
            gcc -c -gsplit-dwarf hello.c                | hello.c        | hello.o
            gcc hello.c -c -o out/hello.o               | hello.c        | out/hello.o
            """)
    void distributable(String cmd, String input, String output) {
        ScanResult.Distributable d = assertInstanceOf(ScanResult.Distributable.class, ArgScan.scan(argv(cmd)));
        assertEquals(input, d.input());
        assertEquals(output, d.output());
        assertEquals(d.outputGiven(), d.argv().equals(argv(cmd)), "-o is appended only when it was defaulted");
        assertTrue(d.argv().contains("-o") || d.argv().stream().anyMatch(a -> a.startsWith("-o")));
    }

    @ParameterizedTest(name = "{0} is local: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gcc -E hello.c                           | -E call for cpp
            gcc -c -M hello.c                        | implies -E
            gcc -c -MM hello.c                       | implies -E
            gcc -c -ME hello.c                       | implies -E
            gcc -c -march=native hello.c             | must be local
            gcc -c -mtune=native hello.c             | must be local
            gcc -c -flto hello.c                     | not worth distributing
            gcc -c -Wa,-alh=x.lst hello.c            | assembler
            gcc -c -Wa,--MD,x.d hello.c              | assembler
            gcc -c -specs=foo hello.c                | -specs=
            gcc -c -fprofile-arcs hello.c            | profile
            gcc -c -ftest-coverage hello.c           | profile
            gcc -c --coverage hello.c                | profile
            gcc -c -fprofile-generate=dir hello.c    | profile
            gcc -c -fprofile-use hello.c             | profile
            gcc -c -fauto-profile hello.c            | profile
            gcc -c -fprofile-correction hello.c      | profile
            gcc -c -frepo hello.c                    | .rpo
            gcc -c -x assembler hello.c              | -x handling
            gcc -c -x none hello.c                   | -x handling
            gcc -xc -c hello.c                       | -x handling
            gcc -c hello.c -x                        | -x handling
            gcc -c -drtl hello.c                     | debug option
            gcc hello.c -o hello                     | not for compile
            gcc -c hello.h                           | no visible input
            gcc -c foo.s                             | no visible input
            gcc -c foo.S                             | no visible input
            gcc -c a.c b.c                           | two inputs
            gcc -c a.c -o x.o y.o                    | called for link
            gcc -c a.c -o x.o -oy.o                  | called for link
            gcc -c conftest.c                        | autoconf
            gcc -c dir/tmp.conftest.c                | autoconf
            gcc -c hello.c -o -                      | stdout
            gcc -c -include foo.c hello.c            | two inputs
            gcc -c hello.c -o                        | -o without
            """)
    void local(String cmd, String reason) {
        ScanResult.Local l = assertInstanceOf(ScanResult.Local.class, ArgScan.scan(argv(cmd)));
        assertTrue(l.reason().contains(reason), l.reason());
    }

    @Test
    void preprocessOnlyUsesTheCppPool() {
        assertTrue(((ScanResult.Local) ArgScan.scan(argv("gcc -E x.c"))).cpp());
        assertTrue(!((ScanResult.Local) ArgScan.scan(argv("gcc -M -c x.c"))).cpp());
    }

    @Test
    void optionAsCompilerIsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ArgScan.scan(argv("-c hello.c")));
    }

    @Test
    void defaultedOutputIsAppendedAtTheEnd() {
        var d = (ScanResult.Distributable) ArgScan.scan(argv("gcc -c src/hello.c -g"));
        assertEquals(argv("gcc -c src/hello.c -g -o hello.o"), d.argv());
    }

    @Test
    void firstSourceSkipsOptionValues() {
        assertEquals("b.c", ArgScan.firstSource(argv("gcc -o a.c -MF x.c b.c")));
        assertEquals(null, ArgScan.firstSource(argv("gcc a.o -o prog")));
    }
}
