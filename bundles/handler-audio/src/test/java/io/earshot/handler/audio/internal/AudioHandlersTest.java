package io.earshot.handler.audio.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class AudioHandlersTest {

    private final AudioHandlers audio = new AudioHandlers();

    private static String problem(Optional<String> result) {
        assertTrue("expected a refusal", result.isPresent());
        return result.get();
    }

    @Test
    public void offersTheAudioTypeOfEasyDsp() {
        assertEquals(List.of("base:audio"), audio.types());
        assertEquals("/handlers/audio/renderer.js", audio.rendererPath());
    }

    @Test
    public void playsAudioOnlyForItsType() {
        assertTrue(audio.playsAudio("base:audio"));
        assertFalse(audio.playsAudio("base:graph:line"));
    }

    @Test
    public void acceptsOptionalGainAndLabel() {
        assertEquals(Optional.empty(), audio.checkParams("base:audio", Map.of()));
        assertEquals(Optional.empty(), audio.checkParams("base:audio", Map.of("gain", 0.5, "label", "beamformer output")));
        assertEquals(Optional.empty(), audio.checkParams("base:audio", Map.of("gain", 0)));
        assertEquals(Optional.empty(), audio.checkParams("base:audio", Map.of("gain", 4, "label", "x".repeat(200))));
    }

    @Test
    public void refusesBadParametersWithTheReason() {
        assertEquals("unknown parameter 'volume'; allowed: gain, label",
                problem(audio.checkParams("base:audio", Map.of("volume", 1))));
        assertEquals("gain must be a number 0..4 (1 leaves the audio as it is), got the number 5",
                problem(audio.checkParams("base:audio", Map.of("gain", 5))));
        assertEquals("gain must be a number 0..4 (1 leaves the audio as it is), got the number -0.1",
                problem(audio.checkParams("base:audio", Map.of("gain", -0.1))));
        assertEquals("gain must be a number 0..4 (1 leaves the audio as it is), got the string \"loud\"",
                problem(audio.checkParams("base:audio", Map.of("gain", "loud"))));
        assertEquals("gain must be a number 0..4 (1 leaves the audio as it is), got the number NaN",
                problem(audio.checkParams("base:audio", Map.of("gain", Double.NaN))));
        assertEquals("label must be a string, got the number 3",
                problem(audio.checkParams("base:audio", Map.of("label", 3))));
        assertEquals("label has 201 characters; allowed: at most 200",
                problem(audio.checkParams("base:audio", Map.of("label", "x".repeat(201)))));
    }

    @Test
    public void refusesAllJsonDataPointingToSendAudio() {
        String expected = "base:audio takes no JSON data: audio is sent with Handler.sendAudio(AudioBuffer)";
        assertEquals(expected, problem(audio.checkData("base:audio", Map.of(), Map.of("samples", List.of(1, 2)))));
        assertEquals(expected, problem(audio.checkData("base:audio", Map.of("gain", 1), List.of())));
        assertEquals(expected, problem(audio.checkData("base:audio", Map.of(), null)));
    }
}
