package io.earshot.source.synthetic.internal;

import java.util.Map;

/** What a simulated capture renders: a single array's scene or one array of a room. */
interface Rendering {

    ArrayGeometry geometry();

    /** {@code frames} frames from stream frame {@code firstFrame} into {@code out} (interleaved), scaled by {@code gain}. */
    void render(long firstFrame, int frames, double gain, short[] out);

    /** The ground truth at stream frame {@code frame}, for the status. */
    Map<String, Object> truth(long frame);
}
