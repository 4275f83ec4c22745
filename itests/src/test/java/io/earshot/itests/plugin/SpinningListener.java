package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin stuck in a busy loop in its first buffer that ignores interrupts: it outlives its stop. */
public class SpinningListener implements AudioListener {

    private volatile long turns;

    @Override
    public void onBuffer(AudioBuffer buffer) {
        while (turns >= 0) {
            turns++;
        }
    }
}
