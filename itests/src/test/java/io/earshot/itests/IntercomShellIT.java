package io.earshot.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** {@code intercom:send} in the runtime's own shell, as a user types it, to two raw-socket clients. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IntercomShellIT extends EarshotTestSupport {

    @Test
    public void intercomSendOneDeliversTheSameValidWavToBothClients() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        await("the stream running", 20, () -> safely(() -> "running".equals(status().at("/stream/capture/state").asText())));
        String off = shell("intercom:send 1");
        assertTrue(off, off.startsWith("Not sent: the intercom is off: set enabled=true"));
        configure("io.earshot.intercom", "enabled", "true", "port", String.valueOf(port));
        await("the intercom listening", 20, () -> safely(() -> status().at("/intercom/port").asInt() == port
                && status().at("/intercom/listening").asBoolean()));
        try (IntercomSocket a = IntercomSocket.connect(port, null, 0, true);
                IntercomSocket b = IntercomSocket.connect(port, TOKEN, 0, true)) {
            await("two clients", 10, () -> safely(() -> status().at("/intercom/connected").asInt() == 2));
            String sent = shell("intercom:send 1");
            assertTrue(sent, sent.matches("Sent clip 1 \\(1\\.00 s, channels 0,1,2,3,4,5 at 48000 Hz, 576044 bytes\\) to 2 client\\(s\\): "
                    + "#\\d+ 127\\.0\\.0\\.1:\\d+, #\\d+ 127\\.0\\.0\\.1:\\d+"));
            IntercomSocket.Clip first = a.next(20);
            assertArrayEquals("the same bytes for both", first.wav(), b.next(20).wav());
            assertEquals(576044, first.wav().length);
            IntercomSocket.assertFormat(first.wav(), 48000, 6, 48000);

            String one = shell("intercom:send 0.25 3");
            assertTrue(one, one.startsWith("Sent clip 2 (0.25 s, channel 3 at 48000 Hz, 24044 bytes)"));
            IntercomSocket.assertFormat(a.next(20).wav(), 48000, 1, 12000);
            b.next(20);
        }
        assertTrue(shell("intercom:send"), shell("intercom:send").startsWith("Usage: intercom:send SECONDS [CHANNELS]"));
        assertTrue(shell("intercom:send two"), shell("intercom:send two").startsWith("Not sent: SECONDS must be a number, got 'two'"));
        assertTrue(shell("intercom:send 31"), shell("intercom:send 31").startsWith("Not sent: seconds must be more than 0 and at most 30"));
        assertTrue(shell("intercom:send 1 0,x"), shell("intercom:send 1 0,x").startsWith("Not sent: CHANNELS are channel numbers"));
        assertTrue(shell("intercom:send 1 0,0"), shell("intercom:send 1 0,0").startsWith("Not sent: channel 0 is named twice"));
    }
}
