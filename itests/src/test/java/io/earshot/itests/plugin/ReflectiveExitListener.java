package io.earshot.itests.plugin;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin that calls System.exit by reflection in its constructor, as if to get past a check of its code. */
public class ReflectiveExitListener implements AudioListener {

    public ReflectiveExitListener() throws ReflectiveOperationException {
        System.class.getMethod("exit", int.class).invoke(null, 5);
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
    }
}
