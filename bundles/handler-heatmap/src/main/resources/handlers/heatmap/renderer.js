// Renderer of base:heatmap: the matrix scaled onto one canvas, a colour bar at the right, redrawn at most once per frame.
import { colourBar, format, oncePerFrame, paint, prepare } from "/handlers/common/scale.js";

export function create(element, handler) {
  const params = handler.params;
  element.classList.add("heatmap-handler");
  const canvas = document.createElement("canvas");
  element.append(canvas);
  const context = canvas.getContext("2d");
  const matrix = document.createElement("canvas");
  const scale = colourBar();
  let lo = 0, hi = 1, hasData = false;

  const schedule = oncePerFrame(draw);

  function draw() {
    const { width, height } = prepare(canvas, context);
    if (!hasData) return;
    const top = 6, bottom = 6, barWidth = 14, gap = 10, labels = 56;
    const plotW = Math.max(1, width - gap - barWidth - labels), plotH = Math.max(1, height - top - bottom);
    context.imageSmoothingEnabled = false;
    context.drawImage(matrix, 0, top, plotW, plotH);
    const barX = plotW + gap;
    context.drawImage(scale, barX, top, barWidth, plotH);
    context.font = "11px system-ui, sans-serif";
    context.fillStyle = getComputedStyle(element).color;
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(format(hi), barX + barWidth + 4, top);
    context.textBaseline = "bottom";
    context.fillText(format(lo), barX + barWidth + 4, top + plotH);
  }

  new ResizeObserver(schedule).observe(canvas);

  return {
    data(rows) {
      const columns = rows[0].length;
      lo = params.min ?? Math.min(...rows.map(row => Math.min(...row)));
      hi = params.max ?? Math.max(...rows.map(row => Math.max(...row)));
      if (!(hi > lo)) {
        // constant data, or a single fixed bound on the wrong side of the data
        if (params.max === undefined) hi = lo + 1;
        else lo = hi - 1;
      }
      const image = new ImageData(columns, rows.length);
      rows.forEach((row, y) => row.forEach((value, x) => paint(image.data, (y * columns + x) * 4, value, lo, hi)));
      matrix.width = columns;
      matrix.height = rows.length;
      matrix.getContext("2d").putImageData(image, 0, 0);
      hasData = true;
      schedule();
    },
    dispose() { element.replaceChildren(); }
  };
}
