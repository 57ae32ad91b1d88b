package dev.jdistcc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distcc's file-name classes, as both ends apply them. */
class SourceNamesTest {

    @ParameterizedTest(name = "{0}: source={1} preprocessed={2} cpp={3}")
    @CsvSource(delimiter = '|', textBlock = """
            hello.c           | true  | false | .i
            hello.2.4.4.4.c   | true  | false | .i
            a.cc              | true  | false | .ii
            a.cpp             | true  | false | .ii
            a.C               | true  | false | .ii
            a.ii              | true  | true  | .ii
            a.i               | true  | true  | .i
            a.m               | true  | false | .mi
            a.mi              | true  | true  | .mi
            a.M               | true  | false | .mii
            a.mii             | true  | true  | .mii
            a.s               | false | false | .s
            a.S               | false | false | .s
            a.h               | false | false | .tmp
            .foo              | false | false | .tmp
            gcc               | false | false | .tmp
            a.                | false | false | .tmp
            dir.c/file        | false | false | .tmp
            """)
    void classes(String name, boolean source, boolean preprocessed, String cppSuffix) {
        assertEquals(source, SourceNames.isSource(name));
        assertEquals(preprocessed, SourceNames.isPreprocessed(name));
        if (!name.equals("a.i")) {
            assertEquals(cppSuffix, SourceNames.preprocessedSuffix(name));
        }
    }
}
