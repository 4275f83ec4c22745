package io.earshot.ingest.browser.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class SampleRingTest {

    @Test
    public void samplesComeOutInOrderAcrossTheWrapAndWhatDoesNotFitIsDropped() {
        SampleRing ring = new SampleRing(16000, 5);
        assertEquals(0, ring.offer(new short[] {1, 2, 3}, 0, 3));
        int[] out = new int[3];
        ring.mixInto(out, 3);
        assertArrayEquals(new int[] {1, 2, 3}, out);
        assertEquals("two of seven do not fit", 2, ring.offer(new short[] {9, 4, 5, 6, 7, 8, 9, 10}, 1, 7));
        assertEquals(5, ring.available());
        out = new int[] {100, 100, 100, 100, 100};
        ring.mixInto(out, 5);
        assertArrayEquals("added to what was there", new int[] {104, 105, 106, 107, 108}, out);
        ring.offer(new short[] {1, 2}, 0, 2);
        ring.skip(1);
        assertEquals(1, ring.available());
        ring.clear();
        assertEquals(0, ring.available());
    }
}
