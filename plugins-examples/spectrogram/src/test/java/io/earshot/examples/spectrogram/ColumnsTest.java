package io.earshot.examples.spectrogram;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ColumnsTest {

    @Test
    public void aToneLightsTheRowOfItsFrequency() {
        int rate = 16000;
        float[] x = new float[1024];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 2000 * i / rate));
        Columns columns = new Columns(1024, 64);
        assertEquals(64, columns.rows());
        double[] column = columns.next(x, -100);
        int loudest = 0;
        for (int r = 0; r < column.length; r++) if (column[r] > column[loudest]) loudest = r;
        double rowHz = columns.rowHz(rate);
        assertEquals("2 kHz lights the row at 2 kHz on the axis, within one row", 2000, loudest * rowHz, rowHz);
        assertEquals(-6, column[loudest], 1.5);
        assertEquals(-100, columns.next(new float[1024], -100)[loudest], 0);
    }
}
