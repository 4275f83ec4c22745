package io.earshot.examples.playback;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;
import io.earshot.api.StreamConfig;

/** easy-dsp's playback example: two channels of each buffer sent back to the browser as stereo audio. */
@Component(configurationPid = "io.earshot.examples.playback", property = AudioListener.NAME + "=playback")
@Designate(ocd = PlaybackConfig.class)
public final class PlaybackPlugin implements AudioListener {

    private final Handler player;
    private final PlaybackConfig settings;

    @Activate
    public PlaybackPlugin(@Reference Dashboard dashboard, PlaybackConfig settings) {
        this.settings = settings;
        player = dashboard.handler("Playback", "base:audio",
                Map.of("label", "channels " + settings.left() + " (left) and " + settings.right() + " (right)"));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        player.sendAudio(stereo(buffer, settings.left(), settings.right()));
    }

    /** The two channels as a 2-channel buffer of the same rate and sequence (channels past the last repeat it). */
    static AudioBuffer stereo(AudioBuffer buffer, int left, int right) {
        int last = buffer.channels() - 1;
        int l = Math.min(Math.max(0, left), last);
        int r = Math.min(Math.max(0, right), last);
        short[] out = new short[buffer.frames() * 2];
        for (int f = 0; f < buffer.frames(); f++) {
            out[2 * f] = buffer.sample(f, l);
            out[2 * f + 1] = buffer.sample(f, r);
        }
        StreamConfig config = buffer.config();
        return new AudioBuffer(new StreamConfig(config.rate(), 2, config.bufferFrames(), config.volume()),
                buffer.sequence(), buffer.captureNanos(), out);
    }

    @Deactivate
    void deactivate() {
        player.close();
    }
}
