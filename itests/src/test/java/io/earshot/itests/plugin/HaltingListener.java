package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin that halts the JVM at its first buffer. */
public class HaltingListener implements AudioListener {

    @Override
    public void onBuffer(AudioBuffer buffer) {
        Runtime.getRuntime().halt(4);
    }
}
