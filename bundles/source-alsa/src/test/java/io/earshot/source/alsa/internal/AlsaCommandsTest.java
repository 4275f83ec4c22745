package io.earshot.source.alsa.internal;

import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class AlsaCommandsTest {

    @Test
    public void listsTheCapturePcmsAlsaKnows() {
        List<AlsaCommands.Device> devices = AlsaCommands.captureDevices(Libasound.load());
        // alsa-lib's own configuration always defines "null", with a description
        assertTrue(String.valueOf(devices), devices.stream().anyMatch(d -> d.name().equals("null") && !d.description().isEmpty()));
        assertTrue(new AlsaCommands().alsa().contains("\n  null\n"));
    }
}
