// Renderer of base:spectrogram: a scrolling image of columns (newest at the right, low frequencies
// at the bottom), a frequency axis at the left and a colour bar at the right; redrawn at most once per frame.
import { colourBar, format, oncePerFrame, paint, prepare, ticks } from "/handlers/common/scale.js";

export function create(element, handler) {
  const { width: columns, height: bins, min: lo, max: hi, delta_freq: deltaFreq } = handler.params;
  element.classList.add("spectrogram-handler");
  const canvas = document.createElement("canvas");
  element.append(canvas);
  const context = canvas.getContext("2d");
  const history = document.createElement("canvas");
  history.width = columns;
  history.height = bins;
  const image = new ImageData(columns, bins);
  const scale = colourBar();
  let changed = false;

  const schedule = oncePerFrame(draw);

  function draw() {
    if (changed) {
      history.getContext("2d").putImageData(image, 0, 0);
      changed = false;
    }
    const { width, height } = prepare(canvas, context);
    const left = 64, top = 8, bottom = 8, barWidth = 14, gap = 10, labels = 56;
    const plotW = Math.max(1, width - left - gap - barWidth - labels), plotH = Math.max(1, height - top - bottom);
    context.imageSmoothingEnabled = false;
    context.drawImage(history, left, top, plotW, plotH);
    const barX = left + plotW + gap;
    context.drawImage(scale, barX, top, barWidth, plotH);

    context.font = "11px system-ui, sans-serif";
    context.fillStyle = context.strokeStyle = getComputedStyle(element).color;
    context.lineWidth = 1;
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(format(hi), barX + barWidth + 4, top);
    context.textBaseline = "bottom";
    context.fillText(format(lo), barX + barWidth + 4, top + plotH);

    // bin k is drawn centred at k + 0.5 rows up from the bottom
    const unit = deltaFreq ?? 1;
    const y = value => top + plotH - (value / unit + 0.5) / bins * plotH;
    context.textAlign = "right";
    context.textBaseline = "middle";
    const marks = ticks(0, (bins - 1) * unit, Math.max(2, Math.min(8, Math.floor(plotH / 40))));
    for (const t of deltaFreq === undefined ? marks.filter(Number.isInteger) : marks) {
      context.beginPath();
      context.moveTo(left - 4, y(t));
      context.lineTo(left, y(t));
      context.stroke();
      const label = deltaFreq === undefined ? String(t) : t >= 1000 ? `${format(t / 1000)} kHz` : `${format(t)} Hz`;
      context.fillText(label, left - 6, y(t));
    }
    if (deltaFreq === undefined) {
      context.textAlign = "left";
      context.textBaseline = "top";
      context.fillText("bin", 4, top);
    }
  }

  new ResizeObserver(schedule).observe(canvas);

  return {
    data(column) {
      // One shift of the whole buffer by a pixel moves every row left; each row's last pixel then
      // holds the next row's first one, which the new column overwrites.
      const pixels = image.data;
      pixels.copyWithin(0, 4);
      for (let k = 0; k < bins; k++) paint(pixels, ((bins - 1 - k) * columns + columns - 1) * 4, column[k], lo, hi);
      changed = true;
      schedule();
    },
    dispose() { element.replaceChildren(); }
  };
}
