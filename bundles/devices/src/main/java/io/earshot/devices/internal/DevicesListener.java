package io.earshot.devices.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.StreamConfig;

/** The devices' share of the live stream (LED level meter, live Opus), on a listener thread of its own. */
@Component(service = AudioListener.class, property = {AudioListener.NAME + "=devices", AudioListener.QUEUE + "=64"})
public final class DevicesListener implements AudioListener {

    private final DevicesServer server;

    @Activate
    public DevicesListener(@Reference DevicesServer server) {
        this.server = server;
    }

    @Override
    public void onConfig(StreamConfig config) {
        LiveEncoders live = server.live();
        if (live != null) live.onConfig(config);
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        LiveEncoders live = server.live();
        if (live != null) live.onBuffer(buffer);
    }
}
