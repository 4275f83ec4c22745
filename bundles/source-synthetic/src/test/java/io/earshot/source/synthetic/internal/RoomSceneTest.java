package io.earshot.source.synthetic.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class RoomSceneTest {

    /** A standing tone-only talker at (x, y): its phase at each microphone tells the delay. */
    private static Room standing(double x, double y) throws Exception {
        return RoomTest.parse("{\"room\":{\"width\":6,\"height\":5},\"snr_db\":120,"
                + "\"talkers\":[{\"path\":[[" + x + "," + y + "]],\"tone_hz\":500,\"speech\":false}],"
                + "\"arrays\":[{\"id\":\"main\",\"x\":1,\"y\":1,\"heading\":30},{\"id\":\"far\",\"x\":5,\"y\":4,\"heading\":0}]}");
    }

    private static double[] channel(short[] interleaved, int channels, int c) {
        double[] out = new double[interleaved.length / channels];
        for (int f = 0; f < out.length; f++) out[f] = interleaved[f * channels + c];
        return out;
    }

    /** Phase (radians) and amplitude of a 500 Hz tone over whole cycles. */
    private static double[] tone(double[] x, int rate) {
        double re = 0, im = 0;
        for (int n = 0; n < x.length; n++) {
            re += x[n] * Math.cos(2 * Math.PI * 500 * n / rate);
            im += x[n] * Math.sin(2 * Math.PI * 500 * n / rate);
        }
        return new double[] {Math.atan2(re, im), 2 * Math.hypot(re, im) / x.length};
    }

    @Test
    public void eachMicrophoneHearsTheTalkerAtItsOwnDistance() throws Exception {
        int rate = 16000;
        Room room = standing(3, 2.5);
        RoomScene scene = new RoomScene(room, room.arrays().get(0), rate, 6, 0);
        short[] out = new short[rate * 6];
        scene.render(0, rate, 1.0, out);
        double[] reference = tone(channel(out, 6, 0), rate);
        double heading = Math.toRadians(30);
        double[][] mics = scene.geometry().positions();
        double d0 = distance(mics[0], heading, 3, 2.5);
        for (int m = 1; m < 6; m++) {
            double[] heard = tone(channel(out, 6, m), rate);
            double d = distance(mics[m], heading, 3, 2.5);
            // farther: later by the extra path over c, quieter as 1/distance
            double lagSeconds = Math.IEEEremainder(reference[0] - heard[0], 2 * Math.PI) / (2 * Math.PI * 500);
            assertEquals("mic " + m + " delay", (d - d0) / 343 * rate, lagSeconds * rate, 0.01);
            assertEquals("mic " + m + " level", d0 / d, heard[1] / reference[1], 0.002);
        }
    }

    private static double distance(double[] mic, double heading, double x, double y) {
        double mx = 1 + Math.cos(heading) * mic[0] - Math.sin(heading) * mic[1];
        double my = 1 + Math.sin(heading) * mic[0] + Math.cos(heading) * mic[1];
        return Math.hypot(x - mx, y - my);
    }

    @Test
    public void arraysOpenedAtOtherMomentsHearTheSameTalkerAtTheSamePlace() throws Exception {
        Room room = RoomTest.parse(RoomTest.SCENE);
        RoomScene early = new RoomScene(room, room.arrays().get(0), 48000, 6, 0);
        RoomScene late = new RoomScene(room, room.arrays().get(1), 48000, 6, 3.0);
        // frame 48000*4 of the early one is room second 4; frame 48000 of the late one too
        Map<String, Object> a = talker(early.truth(48000L * 4)), b = talker(late.truth(48000));
        assertEquals(3.0, (double) a.get("x"), 1e-9);
        assertEquals(a.get("x"), b.get("x"));
        assertEquals(a.get("y"), b.get("y"));
        // main at (0.5, 0.5) heading 45 sees (3, 1) at atan2(0.5, 2.5) - 45 degrees
        assertEquals(Math.toDegrees(Math.atan2(0.5, 2.5)) - 45 + 360, (double) a.get("azimuth_deg"), 0.01);
        assertEquals("east", late.truth(0).get("array"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> talker(Map<String, Object> truth) {
        return ((List<Map<String, Object>>) truth.get("talkers")).get(0);
    }

    @Test
    public void theNoiseIsSetBySnrAtTwoMetres() throws Exception {
        Room quiet = standing(3, 2.5);
        RoomScene scene = new RoomScene(quiet, quiet.arrays().get(0), 48000, 6, 0);
        // a 0.08-amplitude tone: rms 0.0566 at 1 m, 0.0283 at 2 m; 120 dB below that
        assertEquals(0.08 / Math.sqrt(2) / 2 / 1e6, scene.noiseSigma(), 1e-12);
    }
}
