package dev.jdistcc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            obj/x.o      | obj/x.d
            obj/x        | obj/x.d
            obj.d/x      | obj.d/x.d
            x.tar.o      | x.tar.d
            x.o          | x.d
            """)
    void dependencyFileFollowsGccSpec(String output, String dotd) {
        assertEquals(dotd, FileNames.dependencyFileFor(output));
    }
}
