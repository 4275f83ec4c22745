package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** The hub's Gogo commands, run through the runtime's own shell as a user types them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends EarshotTestSupport {

    @Test
    public void theCommandsShowAndChangeTheStream() throws Exception {
        await("the synthetic source running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        assertEquals("synthetic (running)", shell("earshot:source"));

        String applied = shell("earshot:config channels=4 buffer_frames=2048 volume=70");
        assertTrue(applied, applied.startsWith("Applied "));
        JsonNode config = JSON.readTree(shell("earshot:config"));
        assertEquals(4, config.get("channels").asInt());
        assertEquals(2048, config.get("buffer_frames").asInt());
        assertEquals(4, JSON.readTree(shell("earshot:status")).at("/stream/config/channels").asInt());

        String refused = shell("earshot:config channels=99");
        assertTrue(refused, refused.startsWith("Refused: ") && refused.contains("channels"));
        assertTrue(shell("earshot:config channels"), shell("earshot:config channels").startsWith("Expected key=value"));
        assertTrue(shell("earshot:config channels=four"), shell("earshot:config channels=four").contains("whole number"));
        assertEquals("unchanged by what was refused", config, JSON.readTree(shell("earshot:config")));

        // a typo does not stop the stream
        String typo = shell("earshot:source synthetc");
        assertTrue(typo, typo.startsWith("No source 'synthetc'. Available: ") && typo.contains("synthetic"));
        assertEquals("synthetic", status().at("/stream/source/selected").asText());
        assertEquals("synthetic (running)", shell("earshot:source"));
        assertEquals("Source set to 'synthetic'", shell("earshot:source synthetic"));

        assertTrue(shell("earshot:config channels=6 buffer_frames=4096 volume=80").startsWith("Applied "));
    }
}
