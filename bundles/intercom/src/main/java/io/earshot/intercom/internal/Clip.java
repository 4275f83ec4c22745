package io.earshot.intercom.internal;

import io.earshot.intercom.wire.IntercomWire;

/**
 * One clip as it goes out: header and WAV bytes made once, shared by every client's queue.
 *
 * @param number the clip's number since the intercom started (1, 2, ...)
 */
record Clip(long number, int rate, int channels, byte[] header, byte[] wav) {

    static Clip of(long number, int rate, int channels, byte[] wav) {
        return new Clip(number, rate, channels, IntercomWire.clipHeader(number, rate, channels, wav.length), wav);
    }

    long bytes() {
        return (long) header.length + wav.length;
    }
}
