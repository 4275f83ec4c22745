package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;

/** The hub's Gogo commands, run through the runtime's own shell as a user types them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends EarshotTestSupport {

    private String run(String line) throws Exception {
        ServiceReference<CommandProcessor> reference = context.getServiceReference(CommandProcessor.class);
        CommandProcessor shell = context.getService(reference);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true);
        try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            return String.valueOf(session.execute(line));
        } finally {
            context.ungetService(reference);
        }
    }

    @Test
    public void theCommandsShowAndChangeTheStream() throws Exception {
        await("the synthetic source running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        assertEquals("synthetic (running)", run("earshot:source"));

        String applied = run("earshot:config channels=4 buffer_frames=2048 volume=70");
        assertTrue(applied, applied.startsWith("Applied "));
        JsonNode config = JSON.readTree(run("earshot:config"));
        assertEquals(4, config.get("channels").asInt());
        assertEquals(2048, config.get("buffer_frames").asInt());
        assertEquals(4, JSON.readTree(run("earshot:status")).at("/stream/config/channels").asInt());

        String refused = run("earshot:config channels=99");
        assertTrue(refused, refused.startsWith("Refused: ") && refused.contains("channels"));
        assertTrue(run("earshot:config channels"), run("earshot:config channels").startsWith("Expected key=value"));
        assertTrue(run("earshot:config channels=four"), run("earshot:config channels=four").contains("whole number"));
        assertEquals("unchanged by what was refused", config, JSON.readTree(run("earshot:config")));

        // a typo does not stop the stream
        String typo = run("earshot:source synthetc");
        assertTrue(typo, typo.startsWith("No source 'synthetc'. Available: ") && typo.contains("synthetic"));
        assertEquals("synthetic", status().at("/stream/source/selected").asText());
        assertEquals("synthetic (running)", run("earshot:source"));
        assertEquals("Source set to 'synthetic'", run("earshot:source synthetic"));

        assertTrue(run("earshot:config channels=6 buffer_frames=4096 volume=80").startsWith("Applied "));
    }
}
