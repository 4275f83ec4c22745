package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** For the hot-deploy benchmark: says, once, when its first buffer arrived (wall clock, ms). */
public class FirstBufferListener implements AudioListener {

    private boolean told;

    @Override
    public void onBuffer(AudioBuffer buffer) {
        if (!told) {
            told = true;
            System.out.println("EARSHOT-HOTDEPLOY " + getClass().getClassLoader() + " " + System.currentTimeMillis());
        }
    }
}
