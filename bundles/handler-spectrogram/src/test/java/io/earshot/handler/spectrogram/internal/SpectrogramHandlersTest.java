package io.earshot.handler.spectrogram.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class SpectrogramHandlersTest {

    private final SpectrogramHandlers spectrograms = new SpectrogramHandlers();
    private final Map<String, Object> easyDsp = Map.of("width", 300, "height", 256, "min", -80, "max", 0.5,
            "delta_freq", 62.5, "update_rate", 20);

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    /** The easy-dsp parameters with {@code key} set to {@code value}, or removed when it is null. */
    private Map<String, Object> with(String key, Object value) {
        Map<String, Object> params = new HashMap<>(easyDsp);
        if (value == null) params.remove(key);
        else params.put(key, value);
        return params;
    }

    private static List<Object> column(int length) {
        return new ArrayList<>(Collections.nCopies(length, -12.5));
    }

    @Test
    public void offersTheSpectrogramType() {
        assertEquals(List.of("base:spectrogram"), spectrograms.types());
        assertEquals("/handlers/spectrogram/renderer.js", spectrograms.rendererPath());
    }

    @Test
    public void acceptsEasyDspParameters() {
        assertEquals(Optional.empty(), spectrograms.checkParams("base:spectrogram", easyDsp));
        assertEquals(Optional.empty(), spectrograms.checkParams("base:spectrogram",
                Map.of("width", 4096, "height", 8192, "min", 0, "max", 1)));
        assertEquals(Optional.empty(), spectrograms.checkParams("base:spectrogram",
                Map.of("width", 1, "height", 1, "min", 0L, "max", 1L)));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("unknown parameter 'colormap'; allowed: width, height, min, max, delta_freq, update_rate",
                problem(spectrograms.checkParams("base:spectrogram", with("colormap", "jet"))));
        assertEquals("width must be a whole number 1..4096 (columns kept on screen), got null",
                problem(spectrograms.checkParams("base:spectrogram", with("width", null))));
        assertEquals("width must be a whole number 1..4096 (columns kept on screen), got the number 4097",
                problem(spectrograms.checkParams("base:spectrogram", with("width", 4097))));
        assertEquals("height must be a whole number 1..8192 (values per column), got the number 256.5",
                problem(spectrograms.checkParams("base:spectrogram", with("height", 256.5))));
        assertEquals("height must be a whole number 1..8192 (values per column), got the number 0",
                problem(spectrograms.checkParams("base:spectrogram", with("height", 0))));
        assertEquals("min must be a number (the colour scale), got null",
                problem(spectrograms.checkParams("base:spectrogram", with("min", null))));
        assertEquals("max must be a number (the colour scale), got the string \"loud\"",
                problem(spectrograms.checkParams("base:spectrogram", with("max", "loud"))));
        assertEquals("min must be below max, got min 1 and max 0.5",
                problem(spectrograms.checkParams("base:spectrogram", with("min", 1))));
        assertEquals("delta_freq must be a number above 0, got the number 0",
                problem(spectrograms.checkParams("base:spectrogram", with("delta_freq", 0))));
        assertEquals("update_rate must be a number above 0, got a boolean",
                problem(spectrograms.checkParams("base:spectrogram", with("update_rate", true))));
    }

    @Test
    public void acceptsOneColumnOfHeightValues() {
        assertEquals(Optional.empty(), spectrograms.checkData("base:spectrogram", easyDsp, column(256)));
    }

    @Test
    public void refusesDataThatIsNotOneColumn() {
        assertEquals("a column must have height=256 values, got 128",
                problem(spectrograms.checkData("base:spectrogram", easyDsp, column(128))));
        assertEquals("data must be one column: a list of height=256 numbers, got an object",
                problem(spectrograms.checkData("base:spectrogram", easyDsp, Map.of("column", column(256)))));
        List<Object> bad = column(256);
        bad.set(7, Double.NaN);
        assertEquals("column[7] must be a finite number, got the number NaN",
                problem(spectrograms.checkData("base:spectrogram", easyDsp, bad)));
        assertEquals("a column must have height=256 values, got 2",
                problem(spectrograms.checkData("base:spectrogram", easyDsp, List.of(column(128), column(128)))));
    }
}
