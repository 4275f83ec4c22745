package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin that cannot start: its constructor throws, so SCR never activates it. */
public class BrokenConstructorListener implements AudioListener {

    public BrokenConstructorListener() {
        throw new IllegalStateException("the plugin's constructor failed on purpose");
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
    }
}
