package io.earshot.dashboard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.earshot.api.ConsoleListener;

public class ConsoleFeedTest {

    private ConsoleFeed feed;

    @Before
    public void install() {
        feed = new ConsoleFeed(new Browsers());
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
    public void aFloodIsCutAndSaidWithoutSilencingOtherSources() throws Exception {
        List<ConsoleListener.Line> heard = new CopyOnWriteArrayList<>();
        Map<String, Long> skipped = new ConcurrentHashMap<>();
        feed.addListener(new ConsoleListener() {
            @Override
            public void line(Line line) {
                heard.add(line);
            }

            @Override
            public void skipped(String source, long lines) {
                skipped.merge(source, lines, Long::sum);
            }
        });
        int before = feed.recent().size();
        on("earshot-listener-flood", () -> {
            for (int i = 0; i < ConsoleFeed.MAX_LINES_PER_SECOND * 2; i++) {
                System.out.println("line " + i);
            }
        });
        on("earshot-listener-quiet", () -> System.out.println("still heard"));
        int kept = feed.recent().size() - before;
        assertTrue("at most the per-second cap of the flood and the quiet line: " + kept, kept <= ConsoleFeed.MAX_LINES_PER_SECOND + 2);
        assertTrue("another source is not silenced by the flood: " + last(), last().contains("still heard"));
        assertEquals("the whiteboard hears what the console shows", ConsoleFeed.MAX_LINES_PER_SECOND,
                heard.stream().filter(line -> line.source().equals("flood")).count());
        Thread.sleep(1100);
        on("earshot-listener-flood", () -> System.out.println("after the flood"));
        List<String> recent = feed.recent();
        assertTrue(recent.get(recent.size() - 2), recent.get(recent.size() - 2).contains("lines of flood left out: more than 100 a second"));
        assertTrue(last().contains("after the flood"));
        assertTrue("the whiteboard hears what was left out: " + skipped, skipped.get("flood") >= ConsoleFeed.MAX_LINES_PER_SECOND - 5);
    }
}
