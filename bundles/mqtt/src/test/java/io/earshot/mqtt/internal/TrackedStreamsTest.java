package io.earshot.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.earshot.api.StreamConfig;

public class TrackedStreamsTest {

    private static FakeStream stream(String id) {
        return new FakeStream(id, StreamConfig.DEFAULT);
    }

    @Test
    public void mainComesFirstThenTheOthersById() {
        FakeStream main = stream("main");
        TrackedStreams streams = new TrackedStreams(main);
        assertTrue(streams.add("zone-b", stream("zone-b")));
        assertTrue(streams.add("array-2", stream("array-2")));
        assertEquals(List.of("main", "array-2", "zone-b"), new ArrayList<>(streams.snapshot().keySet()));
        assertSame(main, streams.snapshot().get("main"));
        // main is the constructor's; no stream id, no stream
        assertFalse(streams.add("main", stream("main")));
        assertFalse(streams.add("*", stream("*")));
        assertFalse(streams.add("Kitchen", stream("Kitchen")));
        assertSame(main, streams.snapshot().get("main"));
        assertEquals(3, streams.snapshot().size());
    }

    @Test
    public void aRemovalTakesOnlyItsOwnControl() {
        TrackedStreams streams = new TrackedStreams(stream("main"));
        FakeStream first = stream("array-2");
        FakeStream second = stream("array-2");
        streams.add("array-2", first);
        assertTrue("a second control of an id replaces the first", streams.add("array-2", second));
        assertFalse("the first one's unregistration leaves the second", streams.remove("array-2", first));
        assertSame(second, streams.snapshot().get("array-2"));
        assertTrue(streams.remove("array-2", second));
        assertEquals(List.of("main"), new ArrayList<>(streams.snapshot().keySet()));
    }

    @Test
    public void atMostAsManyStreamsAsTheHubRunsAndOneOverTheLimitWaitsForAPlace() {
        TrackedStreams streams = new TrackedStreams(stream("main"));
        List<FakeStream> added = new ArrayList<>();
        for (int i = 1; i < TrackedStreams.MAX_STREAMS; i++) {
            FakeStream s = stream(String.format("s%02d", i));
            added.add(s);
            assertTrue(streams.add(s.id, s));
        }
        assertEquals(TrackedStreams.MAX_STREAMS, streams.snapshot().size());
        FakeStream over = stream("zz");
        assertFalse(streams.add("zz", over));
        assertEquals(List.of("zz"), streams.waiting());
        assertEquals(TrackedStreams.MAX_STREAMS, streams.snapshot().size());
        assertTrue(streams.remove("s01", added.get(0)));
        assertTrue("the waiting one took the place", streams.snapshot().containsKey("zz"));
        assertEquals(List.of(), streams.waiting());
        assertEquals(TrackedStreams.MAX_STREAMS, streams.snapshot().size());
        // one that goes while waiting is simply forgotten
        FakeStream waits = stream("zzz");
        assertFalse(streams.add("zzz", waits));
        assertFalse(streams.remove("zzz", waits));
        assertEquals(List.of(), streams.waiting());
    }
}
