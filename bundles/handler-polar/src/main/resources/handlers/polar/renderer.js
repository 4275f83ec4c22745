// Renderer of base:polar:line|area: one canvas, redrawn at most once per frame.
import { oncePerFrame, prepare } from "/handlers/common/scale.js";
const PALETTE = ["#4363d8", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"];
const MAX_VALUES = 100000;

export function create(element, handler) {
  const kind = handler.type.split(":")[2];
  const params = handler.params;
  const legend = { from: 0, to: 360, step: 30, ...params.legend };
  const series = params.series.map((name, i) => ({ name, color: PALETTE[i % PALETTE.length], values: [] }));

  element.classList.add("polar-handler");
  const canvas = document.createElement("canvas");
  element.append(canvas);
  const context = canvas.getContext("2d");

  const schedule = oncePerFrame(draw);

  // A round ring step giving about `count` rings up to `max`.
  function ringStep(max, count) {
    const step0 = max / count, magnitude = 10 ** Math.floor(Math.log10(step0));
    return [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= step0);
  }

  // Series names with colour swatches, wrapped into rows at the bottom; returns the height.
  // Without `ink` it only measures.
  function drawLegend(width, bottom, ink) {
    const rows = [[]];
    let rowWidth = 0;
    for (const s of series) {
      const w = 16 + context.measureText(s.name).width + 14;
      if (rowWidth + w > width && rows[rows.length - 1].length) { rows.push([]); rowWidth = 0; }
      rows[rows.length - 1].push({ s, w });
      rowWidth += w;
    }
    const height = rows.length * 16;
    if (ink) {
      context.textAlign = "left";
      rows.forEach((row, r) => {
        let x = (width - row.reduce((sum, item) => sum + item.w, 0)) / 2;
        const y = bottom - height + r * 16 + 8;
        for (const { s, w } of row) {
          context.fillStyle = s.color;
          context.fillRect(x, y - 5, 10, 10);
          context.fillStyle = ink;
          context.fillText(s.name, x + 16, y);
          x += w;
        }
      });
    }
    return height;
  }

  function draw() {
    const { width, height } = prepare(canvas, context);
    context.font = "11px system-ui, sans-serif";
    context.textBaseline = "middle";
    const ink = getComputedStyle(element).color;

    const titleHeight = params.title ? 20 : 0;
    const legendHeight = drawLegend(width, height) + 4;
    const labelRoom = 30; // for the angle labels outside the circle
    const cx = width / 2, cy = titleHeight + (height - titleHeight - legendHeight) / 2;
    const radius = Math.max(10, Math.min(width, height - titleHeight - legendHeight) / 2 - labelRoom);

    if (params.title) {
      context.fillStyle = ink;
      context.textAlign = "center";
      context.font = "bold 13px system-ui, sans-serif";
      context.fillText(params.title, cx, 10);
      context.font = "11px system-ui, sans-serif";
    }

    // Radial scale: 0 at the centre, a round number at the outer ring.
    let max = 0;
    for (const s of series) for (const v of s.values) if (v > max) max = v;
    const step = ringStep(max > 0 ? max : 1, 4);
    const outer = Math.max(step, Math.ceil((max > 0 ? max : 1) / step - 1e-9) * step);
    const pr = r => Math.max(0, r) / outer * radius;

    context.strokeStyle = "rgba(128,128,128,0.25)";
    context.lineWidth = 1;
    context.fillStyle = ink;
    context.textAlign = "left";
    for (let r = step; r <= outer + step * 1e-9; r += step) {
      context.beginPath(); context.arc(cx, cy, pr(r), 0, 2 * Math.PI); context.stroke();
      context.fillText(String(+r.toPrecision(12)), cx + 3, cy - pr(r) + 7);
    }

    // Angle ticks: legend.from at north, going clockwise to legend.to after one turn.
    const span = legend.to - legend.from, turns = Math.abs(span) / legend.step;
    const point = (angle, r) => [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
    context.textAlign = "center";
    for (let k = 0; k < turns - 1e-9; k++) {
      const angle = k / turns * 2 * Math.PI;
      const [x0, y0] = point(angle, 0), [x1, y1] = point(angle, radius), [lx, ly] = point(angle, radius + 14);
      context.beginPath(); context.moveTo(x0, y0); context.lineTo(x1, y1); context.stroke();
      context.fillText(String(+(legend.from + Math.sign(span) * k * legend.step).toPrecision(12)), lx, ly);
    }
    context.strokeStyle = ink;
    context.beginPath(); context.arc(cx, cy, radius, 0, 2 * Math.PI); context.stroke();

    // Each series: its values evenly spaced around the full circle, from north clockwise.
    for (const s of series) {
      const n = s.values.length;
      if (!n) continue;
      context.strokeStyle = context.fillStyle = s.color;
      context.lineWidth = 1.5;
      context.beginPath();
      if (n === 1) {
        const [x, y] = point(0, pr(s.values[0]));
        context.arc(x, y, 2.5, 0, 2 * Math.PI);
        context.fill();
        continue;
      }
      s.values.forEach((v, i) => {
        const [x, y] = point(i / n * 2 * Math.PI, pr(v));
        i ? context.lineTo(x, y) : context.moveTo(x, y);
      });
      context.closePath();
      context.stroke();
      if (kind === "area") {
        context.globalAlpha = 0.25;
        context.fill();
        context.globalAlpha = 1;
      }
    }

    drawLegend(width, height, ink);
  }

  const observer = new ResizeObserver(schedule);
  observer.observe(canvas);

  return {
    data(payload) {
      payload.forEach((entry, i) => {
        const s = series[i];
        if ("replace" in entry) s.values = entry.replace.slice();
        else s.values.push(entry.append);
        if (s.values.length > MAX_VALUES) s.values.splice(0, s.values.length - MAX_VALUES);
      });
      schedule();
    },
    dispose() {
      observer.disconnect();
      element.replaceChildren();
    }
  };
}
