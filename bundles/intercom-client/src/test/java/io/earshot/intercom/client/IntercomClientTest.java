package io.earshot.intercom.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class IntercomClientTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> IntercomClient.fromArguments(args, null)).getMessage();
    }

    @Test
    public void badArgumentsAreRefusedWithWhatIsWrong() {
        assertEquals("HOST is missing", refusal());
        assertEquals("PORT must be a number from 1 to 65535, got '70000'", refusal("board", "70000"));
        assertEquals("PORT must be a number from 1 to 65535, got 'x'", refusal("board", "x"));
        assertEquals("unexpected argument 'more'", refusal("board", "7323", "more"));
        assertEquals("unknown option '--play'", refusal("board", "--play"));
        assertEquals("--save needs a folder", refusal("board", "--save"));
        assertEquals("--token needs the token", refusal("board", "--token"));
        assertEquals("a token is printable ASCII without spaces", refusal("board", "--token", "a b"));
        assertNull(IntercomClient.fromArguments(new String[] {"--help"}, null));
    }

    @Test
    public void theFirstChannelsOfInterleavedFramesAreKept() {
        byte[] threeChannels = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0};
        assertArrayEquals(new byte[] {1, 0, 2, 0, 4, 0, 5, 0}, ClipOutput.firstChannels(threeChannels, 3, 2));
    }
}
