package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** The class of the plugin bundle the tests build and drop into the plugins folder. */
public class CountingListener implements AudioListener {

    private long samples;

    @Override
    public void onBuffer(AudioBuffer buffer) {
        samples += buffer.samples().remaining();
    }
}
