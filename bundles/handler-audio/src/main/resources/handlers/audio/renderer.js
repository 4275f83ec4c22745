// Renderer of base:audio: plays what a plugin sends with sendAudio, once Play was clicked.
const LEAD = 0.05;      // seconds between now and the first chunk after a (re)start
const MAX_AHEAD = 0.5;  // seconds queued at most; later chunks are skipped so delay never grows

export function create(element, handler) {
  const gain = handler.params?.gain ?? 1;

  element.classList.add("audio-handler");
  const title = document.createElement("strong");
  title.textContent = handler.params?.label ?? handler.name;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Play";
  const stats = document.createElement("span");
  stats.style.fontVariantNumeric = "tabular-nums";
  const controls = document.createElement("div");
  controls.style.cssText = "display:flex;gap:1em;align-items:center;flex-wrap:wrap;margin:.5em 0";
  controls.append(button, stats);
  const meter = document.createElement("div");
  meter.style.cssText = "height:.7em;max-width:30em;background:var(--line,#ddd);border-radius:.2em;overflow:hidden";
  const level = document.createElement("div");
  level.style.cssText = "height:100%;width:0;background:var(--accent,#4363d8)";
  meter.append(level);
  const levelText = document.createElement("small");
  element.append(title, controls, meter, levelText);

  let context = null;   // an AudioContext while playing
  let nextTime = null;  // when the next chunk starts, in context time; null until the first one
  let received = 0, underruns = 0, skipped = 0, rms = 0, format = "";

  button.addEventListener("click", () => {
    if (context) {
      context.close();
      context = null;
      button.textContent = "Play";
    } else {
      context = new AudioContext(); // browsers only allow this after a click
      context.resume();
      nextTime = null;
      button.textContent = "Stop";
    }
    show();
  });

  function play(samples, frames, rate, channels) {
    const now = context.currentTime;
    if (nextTime === null || nextTime < now) {
      if (nextTime !== null) underruns++;
      nextTime = now + LEAD;
    } else if (nextTime - now > MAX_AHEAD) {
      skipped++;
      return;
    }
    const buffer = context.createBuffer(2, frames, rate);
    const left = buffer.getChannelData(0), right = buffer.getChannelData(1);
    const scale = gain / 32768, second = channels > 1 ? 1 : 0; // mono goes to both sides
    for (let i = 0, j = 0; i < frames; i++, j += channels) {
      left[i] = samples[j] * scale;
      right[i] = samples[j + second] * scale;
    }
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.start(nextTime);
    nextTime += frames / rate;
  }

  function show() {
    const buffered = context && nextTime !== null ? Math.max(0, nextTime - context.currentTime) * 1000 : 0;
    stats.textContent = `received ${received.toFixed(1)} s · buffered ${Math.round(buffered)} ms`
      + ` · underruns ${underruns} · skipped ${skipped}${format ? " · " + format : ""}`;
    const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
    level.style.width = `${Math.max(0, Math.min(100, (db + 60) / 60 * 100))}%`;
    levelText.textContent = isFinite(db) ? `level ${db.toFixed(1)} dBFS` : "level –";
  }
  const timer = setInterval(show, 100);
  show();

  return {
    data() { /* base:audio takes no JSON data */ },
    audio(samples, rate, channels) {
      const frames = Math.floor(samples.length / channels);
      if (frames === 0) return;
      received += frames / rate;
      format = `${rate} Hz, ${channels} ch`;
      let sum = 0;
      for (let i = 0; i < frames * channels; i++) sum += samples[i] * samples[i];
      rms = Math.min(1, Math.sqrt(sum / (frames * channels)) / 32768 * gain);
      if (context) play(samples, frames, rate, channels);
    },
    dispose() {
      clearInterval(timer);
      context?.close();
      context = null;
      element.replaceChildren();
    }
  };
}
