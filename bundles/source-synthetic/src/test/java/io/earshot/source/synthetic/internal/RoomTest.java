package io.earshot.source.synthetic.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

public class RoomTest {

    static final String SCENE = "{\"room\":{\"width\":6,\"height\":5},\"snr_db\":20,"
            + "\"talkers\":[{\"name\":\"t\",\"path\":[[1,1],[5,1],[5,4],[1,4]],\"speed_mps\":0.5}],"
            + "\"arrays\":[{\"id\":\"main\",\"x\":0.5,\"y\":0.5,\"heading\":45},{\"id\":\"east\",\"x\":5.5,\"y\":2.5,\"heading\":180}]}";

    static Room parse(String json) throws Exception {
        return Room.parse(new ObjectMapper().readTree(json));
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    public void aTalkerWalksItsClosedPathAtItsSpeed() throws Exception {
        Room.Talker t = parse(SCENE).talkers().get(0);
        assertArrayEquals(new double[] {1, 1}, t.at(0), 1e-9);
        assertArrayEquals(new double[] {3, 1}, t.at(4), 1e-9);     // 2 m along the first side
        assertArrayEquals(new double[] {5, 2.5}, t.at(11), 1e-9);  // 4 m, then 1.5 m up
        assertArrayEquals(new double[] {1, 1}, t.at(28), 1e-9);    // the 14 m loop, once round
    }

    @Test
    public void arraysAreChosenByNameByStreamIdOrTheFirst() throws Exception {
        Room room = parse(SCENE);
        assertEquals("east", room.arrayFor("kitchen", "east").id());
        assertEquals("east", room.arrayFor("east", null).id());
        assertEquals("main", room.arrayFor("kitchen", null).id());
        String unknown = assertThrows(IllegalArgumentException.class, () -> room.arrayFor("x", "west")).getMessage();
        assertTrue(unknown, unknown.contains("no array 'west'") && unknown.contains("main, east"));
        assertEquals(180, room.arrayFor("east", null).pose().headingDegrees(), 0);
    }

    @Test
    public void badScenesAreRefusedWithWhatIsAllowed() {
        assertTrue(refusal("[]").contains("JSON object"));
        assertTrue(refusal(SCENE.replace("\"snr_db\"", "\"snr\"")).contains("unknown key 'snr'; allowed: arrays, room,"));
        assertTrue(refusal(SCENE.replace("[5,4]", "[7,4]")).contains("talkers[0].path[2] (7.0, 4.0) is outside the room"));
        assertTrue(refusal(SCENE.replace("\"east\"", "\"East\"")).contains("arrays[1].id 'East' is not a stream id"));
        assertTrue(refusal(SCENE.replace("\"east\"", "\"main\"")).contains("given twice"));
        assertTrue(refusal(SCENE.replace("\"width\":6", "\"width\":\"6\"")).contains("room.width must be a number in 0.5..1000.0"));
        assertTrue(refusal(SCENE.replace("\"speed_mps\":0.5", "\"speed_mps\":50")).contains("talkers[0].speed_mps must be a number in 0.0..10.0"));
        assertTrue(refusal(SCENE.replace("[{\"name\":\"t\",\"path\":[[1,1],[5,1],[5,4],[1,4]],\"speed_mps\":0.5}]", "[]")).contains("talkers must be a list of 1..8"));
    }

    @Test
    public void aMissingOrOversizedFileIsNamed() throws Exception {
        Path dir = Files.createTempDirectory("room");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Room.read(dir.resolve("none.json"))).getMessage().contains("does not exist"));
        Path big = Files.writeString(dir.resolve("big.json"), " ".repeat((int) Room.MAX_FILE_BYTES + 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Room.read(big)).getMessage().contains("allowed: at most"));
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"room\":");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Room.read(broken)).getMessage().contains("is not JSON"));
    }
}
