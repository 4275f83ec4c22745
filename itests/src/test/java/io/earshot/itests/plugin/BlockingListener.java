package io.earshot.itests.plugin;

import java.util.concurrent.CountDownLatch;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;

/** A plugin that never returns from its first buffer (until its thread is interrupted). */
public class BlockingListener implements AudioListener {

    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public void onBuffer(AudioBuffer buffer) {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
