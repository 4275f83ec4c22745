package io.earshot.handler.checks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class ChecksTest {

    @Test
    public void namesWhatIsWrongAndWhatIsAllowed() {
        assertEquals(Optional.of("unknown parameter 'colour'; allowed: color, name"),
                Checks.unknownKeys(Map.of("colour", "red"), List.of("color", "name"), "parameter"));
        assertEquals(Optional.of("y[1] must be a finite number, got the string \"loud\""),
                Checks.numbers(List.of(1, "loud"), 10, "y"));
        assertEquals(Optional.of("y has 3 values; allowed: at most 2"), Checks.numbers(List.of(1, 2, 3), 2, "y"));
        assertEquals(Optional.of("y must be a list of numbers, got an object"), Checks.numbers(Map.of(), 2, "y"));
        assertEquals(Optional.empty(), Checks.numbers(List.of(1, 2.5), 2, "y"));
    }

    @Test
    public void numbersAreFiniteAndWholeNumbersIntegral() {
        assertTrue(Checks.isNumber(1.5));
        assertFalse(Checks.isNumber(Double.NaN));
        assertFalse(Checks.isNumber("1"));
        assertTrue(Checks.isWholeNumber(3L));
        assertFalse(Checks.isWholeNumber(3.0));
        assertEquals("the string \"aaaaaaaaaaaaaaaaaaaa...\"", Checks.kind("a".repeat(30)));
        assertEquals("null", Checks.kind(null));
        assertEquals("a boolean", Checks.kind(true));
    }
}
