package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin with a bug: every buffer ends in an exception. */
public class ThrowingListener implements AudioListener {

    @Override
    public void onBuffer(AudioBuffer buffer) {
        throw new IllegalStateException("a plugin bug at buffer " + buffer.sequence());
    }
}
