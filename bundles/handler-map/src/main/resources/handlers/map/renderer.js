// Renderer of base:map: a room seen from above (metres, x right, y up, angles counter-clockwise
// from +x), the arrays with their headings and bearing rays, the fused estimate with its fading
// trail and the true positions as rings; one canvas, redrawn at most once per frame.
import { format, oncePerFrame, prepare } from "/handlers/common/scale.js";
// red is the estimate's and green the truth's; the arrays take the others in turn
const PALETTE = ["#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#469990", "#808000"];
const ESTIMATE = "#e6194b", TRUTH = "#3cb44b";
const DEFAULT_TRAIL = 100;

// A round step (1, 2 or 5 times a power of ten) of at least `least`.
function roundStep(least) {
  const magnitude = 10 ** Math.floor(Math.log10(least));
  return [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= least * (1 - 1e-9));
}

export function create(element, handler) {
  const params = handler.params ?? {};
  const room = params.room;
  const keep = params.trail ?? DEFAULT_TRAIL;
  let arrays = [], estimate = null, truth = [];
  const trail = []; // the last `keep` non-null estimates, oldest first (the latest included)

  element.classList.add("map-handler");
  const canvas = document.createElement("canvas");
  element.append(canvas);
  const context = canvas.getContext("2d");

  const schedule = oncePerFrame(draw);

  // The part of the room frame to show: the room, or everything drawn, with a margin.
  function extent() {
    if (room) {
      const margin = 0.05 * Math.max(room.width, room.height);
      return { x0: -margin, x1: room.width + margin, y0: -margin, y1: room.height + margin };
    }
    const points = [...arrays, ...trail, ...truth];
    if (estimate) points.push(estimate);
    if (!points.length) return { x0: -1, x1: 1, y0: -1, y1: 1 };
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of points) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x);
      y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    }
    // a margin of a tenth (half a metre at least), then out to round values so the view only
    // moves when something crosses one, not with every estimate
    const margin = Math.max(0.5, 0.1 * Math.max(x1 - x0, y1 - y0));
    x0 -= margin; x1 += margin; y0 -= margin; y1 += margin;
    const unit = roundStep(Math.max(x1 - x0, y1 - y0) / 8);
    return { x0: Math.floor(x0 / unit) * unit, x1: Math.ceil(x1 / unit) * unit,
             y0: Math.floor(y0 / unit) * unit, y1: Math.ceil(y1 / unit) * unit };
  }

  // Legend entries for what is on the map; colour null is the ink.
  function legendItems() {
    const items = [];
    if (estimate) items.push({ mark: "dot", color: ESTIMATE, text: `estimate (${format(estimate.x)}, ${format(estimate.y)}) m` });
    else if (trail.length) items.push({ mark: "dot", color: ESTIMATE, text: "estimate: none now" });
    if (keep > 0 && trail.length > 1) items.push({ mark: "trail", color: ESTIMATE, text: `trail (${trail.length})` });
    if (truth.length) items.push({ mark: "ring", color: TRUTH, text: truth.length > 1 ? "true positions" : "true position" });
    if (arrays.some(a => typeof a.bearing === "number")) items.push({ mark: "ray", color: null, text: "bearing" });
    return items;
  }

  function drawMark(mark, color, x, y) {
    context.strokeStyle = context.fillStyle = color;
    context.lineWidth = 1.5;
    context.beginPath();
    if (mark === "dot") { context.arc(x, y, 4, 0, 2 * Math.PI); context.fill(); }
    else if (mark === "ring") { context.arc(x, y, 4.5, 0, 2 * Math.PI); context.stroke(); }
    else if (mark === "trail") {
      for (let k = 0; k < 3; k++) {
        context.globalAlpha = 0.3 + 0.3 * k;
        context.beginPath(); context.arc(x - 8 + 7 * k, y, 2, 0, 2 * Math.PI); context.fill();
      }
      context.globalAlpha = 1;
    } else if (mark === "grid") {
      context.lineWidth = 1;
      context.strokeRect(x - 5.5, y - 5.5, 11, 11);
      context.beginPath(); context.moveTo(x, y - 5.5); context.lineTo(x, y + 5.5); context.moveTo(x - 5.5, y); context.lineTo(x + 5.5, y); context.stroke();
    } else { context.setLineDash([4, 3]); context.moveTo(x - 8, y); context.lineTo(x + 8, y); context.stroke(); context.setLineDash([]); }
  }

  function draw() {
    const { width, height } = prepare(canvas, context);
    if (!width || !height) return;
    const font = "11px system-ui, sans-serif";
    context.font = font;
    context.textBaseline = "middle";
    const ink = getComputedStyle(element).color;

    // The legend's rows first, for the plot's height (its grid entry gets the step once known).
    const rows = legendRows(width, "grid 1000 m");
    const titleHeight = params.title ? 20 : 0, legendHeight = rows.length * 16 + 2, xLabels = 16, yLabels = 38;
    const plot = { left: yLabels, top: titleHeight + 6, right: width - 10, bottom: height - legendHeight - xLabels };
    const plotW = Math.max(10, plot.right - plot.left), plotH = Math.max(10, plot.bottom - plot.top);

    if (params.title) {
      context.fillStyle = ink;
      context.textAlign = "center";
      context.font = "bold 13px system-ui, sans-serif";
      context.fillText(params.title, width / 2, 10);
      context.font = font;
    }

    // One scale for both axes (a metre is as long either way), the extent centred in the plot.
    const view = extent();
    const scale = Math.min(plotW / (view.x1 - view.x0), plotH / (view.y1 - view.y0));
    const cx = (view.x0 + view.x1) / 2, cy = (view.y0 + view.y1) / 2;
    const mx = plot.left + plotW / 2, my = plot.top + plotH / 2;
    const px = x => mx + (x - cx) * scale, py = y => my - (y - cy) * scale;
    const visible = { x0: cx - plotW / 2 / scale, x1: cx + plotW / 2 / scale, y0: cy - plotH / 2 / scale, y1: cy + plotH / 2 / scale };

    // The metre grid: round lines about 60 px apart, the same step on both axes, labelled at the left and bottom.
    const step = roundStep(60 / scale);
    context.strokeStyle = "rgba(128,128,128,0.25)";
    context.lineWidth = 1;
    context.fillStyle = ink;
    context.beginPath();
    context.textAlign = "center";
    for (let i = Math.ceil(visible.x0 / step - 1e-9); i * step <= visible.x1 + step * 1e-9; i++) {
      const X = Math.round(px(i * step)) + 0.5;
      context.moveTo(X, plot.top); context.lineTo(X, plot.top + plotH);
      context.fillText(format(i * step), X, plot.top + plotH + xLabels / 2 + 1);
    }
    context.textAlign = "right";
    for (let i = Math.ceil(visible.y0 / step - 1e-9); i * step <= visible.y1 + step * 1e-9; i++) {
      const Y = Math.round(py(i * step)) + 0.5;
      context.moveTo(plot.left, Y); context.lineTo(plot.left + plotW, Y);
      context.fillText(format(i * step), plot.left - 4, Y);
    }
    context.stroke();
    context.strokeRect(plot.left + 0.5, plot.top + 0.5, plotW - 1, plotH - 1);

    context.save();
    context.beginPath();
    context.rect(plot.left, plot.top, plotW, plotH);
    context.clip();

    if (room) {
      context.strokeStyle = ink;
      context.lineWidth = 2;
      context.strokeRect(px(0), py(room.height), room.width * scale, room.height * scale);
    }

    // The arrays: their bearing rays first (under everything); their squares, heading ticks and names last (on top).
    const far = 2 * (plotW + plotH);
    arrays.forEach((a, i) => {
      if (typeof a.bearing !== "number") return;
      const t = a.bearing * Math.PI / 180, X = px(a.x), Y = py(a.y);
      context.strokeStyle = PALETTE[i % PALETTE.length];
      context.globalAlpha = 0.8;
      context.lineWidth = 1.5;
      context.setLineDash([6, 4]);
      context.beginPath(); context.moveTo(X, Y); context.lineTo(X + far * Math.cos(t), Y - far * Math.sin(t)); context.stroke();
      context.setLineDash([]);
      context.globalAlpha = 1;
    });

    // The trail, oldest faintest, joined in order up to the latest estimate (a dot of its own);
    // in 16 bands of one alpha each, so a long trail is a few paths, not thousands.
    const past = estimate ? trail.slice(0, -1) : trail;
    const BANDS = 16;
    context.fillStyle = context.strokeStyle = ESTIMATE;
    context.lineWidth = 1;
    for (let band = 0; band < BANDS && past.length; band++) {
      const from = Math.floor(band * past.length / BANDS), to = Math.floor((band + 1) * past.length / BANDS);
      if (from === to) continue;
      context.globalAlpha = 0.25 + 0.55 * (band + 1) / BANDS;
      context.beginPath(); // one line through the band's points and on to the next band's first
      context.moveTo(px(past[from].x), py(past[from].y));
      for (let k = from + 1; k <= to; k++) {
        const next = k < past.length ? past[k] : estimate;
        if (next) context.lineTo(px(next.x), py(next.y));
      }
      context.stroke();
      context.beginPath();
      for (let k = from; k < to; k++) {
        const X = px(past[k].x), Y = py(past[k].y);
        context.rect(X - 1.5, Y - 1.5, 3, 3);
      }
      context.fill();
    }
    context.globalAlpha = 1;

    for (const t of truth) {
      context.strokeStyle = TRUTH;
      context.lineWidth = 2;
      context.beginPath(); context.arc(px(t.x), py(t.y), 7, 0, 2 * Math.PI); context.stroke();
    }

    if (estimate) {
      context.fillStyle = ESTIMATE;
      context.strokeStyle = ink;
      context.lineWidth = 1;
      context.beginPath(); context.arc(px(estimate.x), py(estimate.y), 5, 0, 2 * Math.PI); context.fill(); context.stroke();
    }

    arrays.forEach((a, i) => {
      const color = PALETTE[i % PALETTE.length], h = a.heading * Math.PI / 180, X = px(a.x), Y = py(a.y);
      const dx = Math.cos(h), dy = -Math.sin(h); // the heading on screen (y down)
      context.strokeStyle = context.fillStyle = color;
      context.lineWidth = 2;
      context.beginPath(); context.moveTo(X, Y); context.lineTo(X + 16 * dx, Y + 16 * dy); context.stroke();
      context.beginPath(); // an arrow head at the tick's end
      context.moveTo(X + 19 * dx, Y + 19 * dy);
      context.lineTo(X + 13 * dx - 3.5 * dy, Y + 13 * dy + 3.5 * dx);
      context.lineTo(X + 13 * dx + 3.5 * dy, Y + 13 * dy - 3.5 * dx);
      context.fill();
      context.beginPath(); context.rect(X - 4, Y - 4, 8, 8); context.fill();
      context.strokeStyle = ink; context.lineWidth = 1; context.stroke();
      // the name on the side away from the tick
      context.fillStyle = ink;
      context.textAlign = -dx > 0.3 ? "left" : -dx < -0.3 ? "right" : "center";
      context.textBaseline = -dy > 0.3 ? "top" : -dy < -0.3 ? "bottom" : "middle";
      context.fillText(a.name, X - 9 * dx, Y - 9 * dy);
    });
    context.textBaseline = "middle";
    context.restore();

    if (!arrays.length && !trail.length && !estimate && !truth.length) {
      context.fillStyle = ink;
      context.textAlign = "center";
      context.fillText("no data yet", mx, my);
    }

    // The legend, its grid entry now with the step, each row centred at the bottom.
    context.textAlign = "left";
    for (const row of rows) for (const item of row) {
      if (item.mark === "grid") {
        item.text = `grid ${format(step)} m`;
        item.w = 22 + context.measureText(item.text).width + 14;
      }
    }
    rows.forEach((row, r) => {
      let x = (width - row.reduce((sum, item) => sum + item.w, 0)) / 2;
      const y = height - legendHeight + r * 16 + 9;
      for (const item of row) {
        drawMark(item.mark, item.color ?? ink, x + 8, y);
        context.fillStyle = ink;
        context.fillText(item.text, x + 22, y);
        x += item.w;
      }
    });
  }

  // The legend's entries wrapped into rows of at most `width`, the grid's with the text `grid`.
  function legendRows(width, grid) {
    const rows = [[]];
    let rowWidth = 0;
    for (const item of [...legendItems(), { mark: "grid", color: null, text: grid }]) {
      const w = 22 + context.measureText(item.text).width + 14;
      if (rowWidth + w > width && rows[rows.length - 1].length) { rows.push([]); rowWidth = 0; }
      rows[rows.length - 1].push({ ...item, w });
      rowWidth += w;
    }
    return rows;
  }

  const observer = new ResizeObserver(schedule);
  observer.observe(canvas);

  return {
    data(message) {
      if ("arrays" in message) arrays = message.arrays.map(a => ({ ...a }));
      if ("truth" in message) truth = message.truth.map(t => ({ x: t.x, y: t.y }));
      if ("estimate" in message) {
        estimate = message.estimate ? { x: message.estimate.x, y: message.estimate.y } : null;
        if (estimate && keep > 0) {
          trail.push(estimate);
          if (trail.length > keep) trail.splice(0, trail.length - keep);
        }
      }
      schedule();
    },
    dispose() {
      observer.disconnect();
      element.replaceChildren();
    }
  };
}
