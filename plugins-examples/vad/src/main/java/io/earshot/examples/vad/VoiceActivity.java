package io.earshot.examples.vad;

/**
 * Voice activity, frame by frame (20 ms): the energy of the speech band (300-3400 Hz, by a
 * pair of one-pole filters) against a noise floor that follows the quietest recent frames
 * (fast down, slow up). Speech when the band is {@code thresholdDb} above the floor; a decision
 * holds for {@code hangFrames} so that gaps between syllables do not chop it.
 */
final class VoiceActivity {

    private final int frame;
    private final double thresholdDb;
    private final int hangFrames;
    private final double highPass;
    private final double lowPass;
    private double hpState;
    private double hpPrevious;
    private double lpState;
    private double floorDb = Double.NaN;
    private int hang;
    private int inFrame;
    private double energy;

    /** A decision and the band level for one frame. */
    record Frame(boolean speech, double levelDb, double floorDb) {
    }

    VoiceActivity(int rate, double thresholdDb, int hangFrames) {
        this.frame = Math.max(1, rate / 50);
        this.thresholdDb = thresholdDb;
        this.hangFrames = hangFrames;
        this.highPass = Math.exp(-2 * Math.PI * 300.0 / rate);
        this.lowPass = 1 - Math.exp(-2 * Math.PI * 3400.0 / rate);
    }

    /** Feeds samples; calls {@code out} once per complete frame. */
    void feed(float[] samples, java.util.function.Consumer<Frame> out) {
        for (float x : samples) {
            hpState = highPass * (hpState + x - hpPrevious);
            hpPrevious = x;
            lpState += lowPass * (hpState - lpState);
            energy += lpState * lpState;
            if (++inFrame == frame) {
                double levelDb = 10 * Math.log10(energy / frame + 1e-12);
                if (Double.isNaN(floorDb) || levelDb < floorDb) {
                    floorDb = levelDb;                       // down at once
                } else {
                    floorDb += 0.05;                         // up by 2.5 dB a second at 50 frames/s
                }
                boolean loud = levelDb > floorDb + thresholdDb;
                hang = loud ? hangFrames : Math.max(0, hang - 1);
                out.accept(new Frame(loud || hang > 0, levelDb, floorDb));
                inFrame = 0;
                energy = 0;
            }
        }
    }
}
