package io.earshot.source.synthetic.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one array of a simulated room hears: every talker at its place in the room at that moment,
 * each microphone with its own propagation delay (distance over the speed of sound, exact at any
 * fraction of a sample) and level (1/distance), plus independent noise at each microphone.
 * Times are the room's: frame 0 of this capture is {@code startSeconds} after the room began, so
 * arrays opened at different moments hear the same talker at the same place.
 */
final class RoomScene implements Rendering {

    /** Nearer than this a talker is heard as at this distance (a microphone's capsule is not a point). */
    static final double MIN_DISTANCE_M = 0.1;

    private final Room room;
    private final Room.Placement array;
    private final int rate;
    private final double startSeconds;
    private final ArrayGeometry geometry;
    private final double[][] mics;      // room coordinates of each microphone
    private final List<Voice> voices = new ArrayList<>();
    private final double[] levels;
    private final NoiseTable noise;
    private final double noiseSigma;
    private final double[] burst = new double[Scene.SEGMENT_FRAMES];
    private final double[] tone = new double[Scene.SEGMENT_FRAMES];
    private final double[] heard = new double[Scene.SEGMENT_FRAMES];
    private final double[][] envelopes;

    RoomScene(Room room, Room.Placement array, int rate, int channels, double startSeconds) {
        this.room = room;
        this.array = array;
        this.rate = rate;
        this.startSeconds = startSeconds;
        this.geometry = ArrayGeometry.of(channels, array.radius());
        double heading = Math.toRadians(array.pose().headingDegrees());
        double cos = Math.cos(heading), sin = Math.sin(heading);
        mics = new double[channels][];
        for (int m = 0; m < channels; m++) {
            double[] p = geometry.positions()[m];
            mics[m] = new double[] {array.pose().x() + cos * p[0] - sin * p[1], array.pose().y() + sin * p[0] + cos * p[1]};
        }
        // the talkers' voices are the room's, the same for every array; the noise is each array's own
        SplittableRandom voicesRandom = new SplittableRandom(room.seed());
        levels = new double[room.talkers().size()];
        envelopes = new double[levels.length][Scene.SEGMENT_FRAMES];
        double loudest = 0;
        for (int k = 0; k < levels.length; k++) {
            Room.Talker talker = room.talkers().get(k);
            Voice voice = new Voice(rate, talker.toneHz(), talker.speech(), room.seed() + k, voicesRandom, Scene.SEGMENT_FRAMES);
            voices.add(voice);
            levels[k] = Math.pow(10, talker.levelDb() / 20);
            loudest = Math.max(loudest, voice.rms() * levels[k]);
        }
        double atReference = loudest / Room.SNR_REFERENCE_M;
        noiseSigma = atReference > 0 ? atReference / Math.pow(10, room.snrDb() / 20) : 0.01;
        noise = new NoiseTable(new SplittableRandom(room.seed() ^ array.id().hashCode() * 0x9E3779B97F4A7C15L));
    }

    @Override
    public ArrayGeometry geometry() {
        return geometry;
    }

    @Override
    public void render(long firstFrame, int frames, double gain, short[] out) {
        int channels = mics.length;
        double c = room.speedOfSound();
        for (int start = 0; start < frames; start += Scene.SEGMENT_FRAMES) {
            int n = Math.min(Scene.SEGMENT_FRAMES, frames - start);
            double t0 = startSeconds + (firstFrame + start) / (double) rate;
            double[][] at = new double[voices.size()][];
            for (int k = 0; k < voices.size(); k++) {
                at[k] = room.talkers().get(k).at(t0 + n / 2.0 / rate);
                // the syllables reach the array's centre as late as the sound travels
                double travel = Math.hypot(at[k][0] - array.pose().x(), at[k][1] - array.pose().y()) / c;
                voices.get(k).fillEnvelope(t0 - travel, n, envelopes[k]);
                voices.get(k).fillPartials(t0, n);
            }
            double scale = gain * 32767;
            for (int m = 0; m < channels; m++) {
                java.util.Arrays.fill(heard, 0, n, 0);
                for (int k = 0; k < voices.size(); k++) {
                    double distance = Math.max(MIN_DISTANCE_M, Math.hypot(at[k][0] - mics[m][0], at[k][1] - mics[m][1]));
                    java.util.Arrays.fill(burst, 0, n, 0);
                    java.util.Arrays.fill(tone, 0, n, 0);
                    voices.get(k).addHeard(-distance / c, levels[k] / distance, tone, burst, n);
                    double[] envelope = envelopes[k];
                    for (int f = 0; f < n; f++) heard[f] += tone[f] + envelope[f] * burst[f];
                }
                int noiseAt = noise.start();
                for (int f = 0, i = start * channels + m; f < n; f++, i += channels) {
                    double v = (heard[f] + noiseSigma * noise.at(noiseAt, f)) * scale;
                    out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
            }
        }
    }

    /** Where every talker is at {@code frame}, and how this array sees it. */
    @Override
    public Map<String, Object> truth(long frame) {
        double t = startSeconds + frame / (double) rate;
        List<Map<String, Object>> talkers = new ArrayList<>();
        for (Room.Talker talker : room.talkers()) {
            double[] p = talker.at(t);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", talker.name());
            one.put("x", round(p[0], 1000));
            one.put("y", round(p[1], 1000));
            one.put("azimuth_deg", round(array.pose().azimuthDegreesOf(p[0], p[1]), 100));
            one.put("distance_m", round(Math.hypot(p[0] - array.pose().x(), p[1] - array.pose().y()), 1000));
            talkers.add(one);
        }
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("array", array.id());
        // the first talker's azimuth where a single array's truth has it, for clients of that
        truth.put("azimuth_deg", talkers.get(0).get("azimuth_deg"));
        truth.put("room_seconds", round(t, 1000));
        truth.put("talkers", talkers);
        truth.put("convention", "room metres (x east, y north); azimuths degrees counter-clockwise from this array's mic 0,"
                + " array centre to talker, at the last frame of the latest buffer");
        return truth;
    }

    double noiseSigma() {
        return noiseSigma;
    }

    private static double round(double v, double per) {
        return Math.round(v * per) / per;
    }
}
