// What the handler renderers share: round tick values, short number labels, and a perceptual
// colour map (viridis, interpolated into 256 steps) for values mapped onto lo..hi.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37]];
const LUT = colourTable(256);

function colourTable(size) {
  const table = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const t = i / (size - 1) * (VIRIDIS.length - 1), k = Math.min(VIRIDIS.length - 2, Math.floor(t)), f = t - k;
    for (let c = 0; c < 3; c++) table[i * 3 + c] = VIRIDIS[k][c] + (VIRIDIS[k + 1][c] - VIRIDIS[k][c]) * f;
  }
  return table;
}

/** Writes the colour of value (clamped to lo..hi) as opaque RGBA at pixels[offset]. */
export function paint(pixels, offset, value, lo, hi) {
  const i = Math.max(0, Math.min(255, Math.round((value - lo) / (hi - lo) * 255))) * 3;
  pixels[offset] = LUT[i];
  pixels[offset + 1] = LUT[i + 1];
  pixels[offset + 2] = LUT[i + 2];
  pixels[offset + 3] = 255;
}

/** A number in at most 4 significant digits. */
export function format(value) {
  return String(+value.toPrecision(4));
}

/** About count round values (1, 2 or 5 times a power of ten apart) from lo to hi. */
export function ticks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count, magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Sizes the canvas to its CSS box at the device's pixel ratio and clears it; returns that box. */
export function prepare(canvas, context) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return { width, height };
}

/** A function that runs draw at most once per animation frame, however often it is called. */
export function oncePerFrame(draw) {
  let pending = false;
  return () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    }
  };
}

/** A 1 x 256 canvas of the colour map, top = hi, for drawing a colour-scale bar. */
export function colourBar() {
  const bar = document.createElement("canvas");
  bar.width = 1;
  bar.height = 256;
  const image = bar.getContext("2d").createImageData(1, 256);
  for (let y = 0; y < 256; y++) paint(image.data, y * 4, 255 - y, 0, 255);
  bar.getContext("2d").putImageData(image, 0, 0);
  return bar;
}
