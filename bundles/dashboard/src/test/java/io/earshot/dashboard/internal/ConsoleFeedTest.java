package io.earshot.dashboard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ConsoleFeedTest {

    private ConsoleFeed feed;

    @Before
    public void install() {
        feed = new ConsoleFeed(new HandlerRegistry());
    }

    @After
    public void uninstall() {
        feed.deactivate();
    }

    private static void on(String thread, Runnable action) throws InterruptedException {
        Thread t = new Thread(action, thread);
        t.start();
        t.join();
    }

    private String last() {
        List<String> recent = feed.recent();
        return recent.get(recent.size() - 1);
    }

    @Test
    public void linesAreAttributedToThePluginWhoseThreadWroteThem() throws Exception {
        on("earshot-listener-doa", () -> System.out.println("azimuth 42"));
        assertTrue(last(), last().contains("\"level\":\"info\",\"source\":\"doa\",\"stream\":\"stdout\",\"message\":\"azimuth 42\""));
        on("earshot-listener-doa", () -> System.err.println("java.lang.IllegalStateException: oops"));
        assertTrue(last(), last().contains("\"level\":\"error\",\"source\":\"doa\",\"stream\":\"stderr\""));
    }

    @Test
    public void logLinesKeepTheirLevelAndLogger() throws Exception {
        System.err.println("13:40:15.123 [main] WARN io.earshot.hub.internal.CaptureLoop - Source alsa failed");
        assertTrue(last(), last().contains("\"level\":\"warn\",\"source\":\"CaptureLoop\""));
        System.err.println("13:40:15.124 [earshot-listener-vad] ERROR io.earshot.hub.internal.ListenerSlot - Listener vad threw");
        assertTrue(last(), last().contains("\"level\":\"error\",\"source\":\"vad\""));
        System.err.println("13:41:48.334 [CM Configuration Updater (ManagedService Update: pid=[a.b.C])] INFO org.apache.felix.http - Shared");
        assertTrue(last(), last().contains("\"level\":\"info\",\"source\":\"http\""));
        System.err.println("WARNING: Unable to create a system terminal");
        assertTrue(last(), last().contains("\"level\":\"warn\""));
        System.err.println("Dec 01, 2026 1:40:14 PM org.apache.aries.spifly.BaseActivator log");
        assertTrue(last(), last().contains("\"level\":\"info\""));
    }

    @Test
    public void aFloodIsCutAndSaid() throws Exception {
        int before = feed.recent().size();
        for (int i = 0; i < ConsoleFeed.MAX_LINES_PER_SECOND * 2; i++) {
            System.out.println("line " + i);
        }
        int kept = feed.recent().size() - before;
        assertTrue("at most the per-second cap went out: " + kept, kept <= ConsoleFeed.MAX_LINES_PER_SECOND + 1);
        assertTrue(feed.recent().size() <= ConsoleFeed.KEPT_LINES);
        Thread.sleep(1100);
        System.out.println("after the flood");
        List<String> recent = feed.recent();
        assertTrue(recent.get(recent.size() - 2), recent.get(recent.size() - 2).contains("lines left out: more than 200 a second"));
        assertEquals(true, last().contains("after the flood"));
    }
}
