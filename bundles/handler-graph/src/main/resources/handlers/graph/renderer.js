// Renderer of base:graph:line|area|bar|plot: one canvas, redrawn at most once per frame.
import { oncePerFrame, prepare, ticks } from "/handlers/common/scale.js";

const PALETTE = ["#4363d8", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"];

export function create(element, handler) {
  const kind = handler.type.split(":")[2];
  const params = handler.params;
  const series = params.series.map((s, i) => ({ name: s.name ?? `series ${i + 1}`, color: s.color ?? PALETTE[i % PALETTE.length], x: [], y: [] }));
  const limit = params.xLimitNb ?? Infinity;

  element.classList.add("graph-handler");
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const s of series) {
    const item = document.createElement("span");
    item.innerHTML = `<i style="background:${s.color}"></i>`;
    item.append(s.name);
    legend.append(item);
  }
  const canvas = document.createElement("canvas");
  element.append(legend, canvas);
  const context = canvas.getContext("2d");

  const schedule = oncePerFrame(draw);

  function range(values, fixedMin, fixedMax) {
    let lo = fixedMin ?? Infinity, hi = fixedMax ?? -Infinity;
    if (fixedMin === undefined || fixedMax === undefined) {
      for (const v of values) { if (fixedMin === undefined && v < lo) lo = v; if (fixedMax === undefined && v > hi) hi = v; }
    }
    if (!isFinite(lo) || !isFinite(hi)) return [0, 1];
    if (lo === hi) return [lo - 1, hi + 1];
    return [lo, hi];
  }

  function draw() {
    const { width, height } = prepare(canvas, context);
    const left = 56, right = 12, top = 10, bottom = 34;
    const plotW = Math.max(10, width - left - right), plotH = Math.max(10, height - top - bottom);
    let [x0, x1] = range(series.flatMap(s => s.x));
    if (kind === "bar") {
      // room for half a bar group on either side of the first and last x
      const n = Math.max(...series.map(s => s.x.length), 1);
      const half = n > 1 ? (x1 - x0) / (n - 1) / 2 : 0.5;
      x0 -= half;
      x1 += half;
    }
    const [y0, y1] = range(series.flatMap(s => s.y), params.min, params.max);
    const px = x => left + (x - x0) / (x1 - x0) * plotW;
    const py = y => top + plotH - (Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0) * plotH;

    context.font = "11px system-ui, sans-serif";
    context.fillStyle = getComputedStyle(element).color;
    context.strokeStyle = "rgba(128,128,128,0.25)";
    context.lineWidth = 1;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const t of ticks(y0, y1, 5)) {
      context.beginPath(); context.moveTo(left, py(t)); context.lineTo(left + plotW, py(t)); context.stroke();
      context.fillText(String(t), left - 6, py(t));
    }
    context.textAlign = "center";
    context.textBaseline = "top";
    for (const t of ticks(x0, x1, 6)) context.fillText(String(t), px(t), top + plotH + 4);
    if (params.xName) context.fillText(params.xName, left + plotW / 2, top + plotH + 18);

    const barGroups = series.length;
    series.forEach((s, index) => {
      context.strokeStyle = context.fillStyle = s.color;
      context.lineWidth = 1.5;
      if (kind === "bar") {
        const slot = plotW / Math.max(1, s.x.length) / barGroups * 0.8;
        s.x.forEach((x, i) => {
          const base = py(Math.max(y0, Math.min(y1, 0)));
          const cx = px(x) - slot * barGroups / 2 + index * slot;
          context.fillRect(cx, Math.min(base, py(s.y[i])), Math.max(1, slot - 1), Math.abs(base - py(s.y[i])));
        });
      } else if (kind === "plot") {
        s.x.forEach((x, i) => { context.beginPath(); context.arc(px(x), py(s.y[i]), 2.5, 0, 2 * Math.PI); context.fill(); });
      } else {
        context.beginPath();
        s.x.forEach((x, i) => (i ? context.lineTo(px(x), py(s.y[i])) : context.moveTo(px(x), py(s.y[i]))));
        context.stroke();
        if (kind === "area" && s.x.length) {
          context.lineTo(px(s.x[s.x.length - 1]), py(y0));
          context.lineTo(px(s.x[0]), py(y0));
          context.globalAlpha = 0.25;
          context.fill();
          context.globalAlpha = 1;
        }
      }
    });
  }

  new ResizeObserver(schedule).observe(canvas);

  return {
    data(payload) {
      const replace = "replace" in payload;
      (replace ? payload.replace : payload.add).forEach((points, i) => {
        const s = series[i];
        if (replace) { s.x = points.x.slice(); s.y = points.y.slice(); }
        else { s.x.push(...points.x); s.y.push(...points.y); }
        if (s.x.length > limit) { s.x.splice(0, s.x.length - limit); s.y.splice(0, s.y.length - limit); }
      });
      schedule();
    },
    dispose() { element.replaceChildren(); }
  };
}
