// The Stream view: the configuration form, the source's status, level meters, the waveform,
// Listen and the in-browser Record, and the header's connection dot and latency. Reads /ws/audio
// (header mode), changes go through /ws/config, both of the stream the header's picker shows
// (stream-picker.js): another one chosen, the socket is opened anew for it.

import { $, MAIN, wsUrl, runtimeStatus, log, shownStream, onStreamChange } from "./page.js";
import { showStreams } from "./stream-picker.js";

const state = { config: null, possible: null, latencies: [], levels: null, waveChannel: 0 };
const listeners = new Set(); // (planes per channel as Int16 views, config) for Listen

let audio = null;     // the socket of the stream shown
let connecting = 0;   // counts the streams shown: a wait for an earlier one gives up

/** Whether the status shows the audio bridge serving the stream: a socket refused (the runtime starts, the stream is not there) would be a console error. */
const audioServes = (status, stream) => status.audio_clients && (stream === MAIN || status.audio_clients.streams?.[stream]);

async function connectAudio(attempt = connecting) {
  const stream = shownStream();
  const status = await runtimeStatus();
  if (attempt !== connecting) return;
  if (!audioServes(status, stream)) { setTimeout(() => connectAudio(attempt), 500); return; }
  const socket = new WebSocket(wsUrl("/ws/audio", { header: "1", stream }));
  audio = socket;
  socket.binaryType = "arraybuffer";
  socket.onopen = () => {
    if (audio !== socket) { socket.close(1000, "another stream shown"); return; }
    $("#connection").classList.add("on");
    log("info", `audio stream ${stream} connected`);
  };
  socket.onclose = event => {
    if (audio !== socket) return; // closed by the page for another stream
    audio = null;
    $("#connection").classList.remove("on");
    log("warn", `audio stream ${stream} closed (${event.code}${event.reason ? ": " + event.reason : ""}); reconnecting`);
    setTimeout(() => connectAudio(attempt), 1000);
  };
  socket.onmessage = event => {
    if (audio !== socket) return;
    if (typeof event.data === "string") {
      const message = JSON.parse(event.data);
      if ("possible_rates" in message) { state.possible = message; fillConfigForm(); }
      else { state.config = message; fillConfigForm(); onNewConfig(); }
      return;
    }
    onBuffer(event.data);
  };
}

/** Another stream shown: what played or was drawn of the last one ends, and its socket is opened anew for the new one. */
function showOtherStream(stream) {
  connecting++;
  const previous = audio;
  audio = null;
  // one still connecting closes once open (onopen): closing it now would be an error in the browser's console
  if (previous?.readyState === WebSocket.OPEN) previous.close(1000, "another stream shown");
  if (player.context) stopListening();
  Object.assign(state, { config: null, possible: null, latencies: [] });
  $("#connection").classList.remove("on");
  $("#summary").textContent = `connecting to ${stream}…`;
  $("#source-status").replaceChildren();
  $("#config-result").textContent = "";
  for (const hint of document.querySelectorAll(".main-only")) hint.hidden = stream === MAIN;
  connectAudio();
  refreshStatus();
}

function onNewConfig() {
  const c = state.config;
  $("#summary").textContent = `${c.rate} Hz · ${c.channels} ch · ${c.buffer_frames} frames · volume ${c.volume}`;
  buildMeters(c.channels);
  fillChannelSelects(c.channels);
  wave.reset();
}

function onBuffer(data) {
  const view = new DataView(data);
  if (view.getUint32(0, true) !== 0x31305345 || !state.config) return; // "ES01", after the stream's config
  const headerLength = view.getInt32(4, true);
  const captureNanos = view.getBigInt64(16, true);
  const latency = Date.now() - Number(captureNanos / 1000000n);
  state.latencies.push(latency);
  if (state.latencies.length > 50) state.latencies.shift();
  const samples = new Int16Array(data, headerLength);
  const channels = state.config.channels;
  const frames = samples.length / channels;
  meters.measure(samples, channels, frames);
  wave.add(samples, channels, frames);
  for (const listener of listeners) listener(samples, channels, frames);
}

// ---------- configuration form ----------
const form = $("#config-form");
function fillConfigForm() {
  if (!state.config) return;
  const setOptions = (select, values, current) => {
    const list = values ?? [current];
    select.replaceChildren(...list.map(v => new Option(v, v, false, v === current)));
  };
  setOptions(form.rate, state.possible?.possible_rates, state.config.rate);
  setOptions(form.channels, state.possible?.possible_channel, state.config.channels);
  form.buffer_frames.value = state.config.buffer_frames;
  form.volume.value = state.config.volume;
  form["volume-value"].value = state.config.volume;
}
form.volume.addEventListener("input", () => { form["volume-value"].value = form.volume.value; });
form.addEventListener("submit", event => {
  event.preventDefault();
  const wanted = {
    rate: Number(form.rate.value), channels: Number(form.channels.value),
    buffer_frames: Number(form.buffer_frames.value), volume: Number(form.volume.value)
  };
  const result = $("#config-result");
  result.className = "";
  result.textContent = "applying…";
  const socket = new WebSocket(wsUrl("/ws/config", { stream: shownStream() }));
  socket.onopen = () => socket.send(JSON.stringify(wanted));
  socket.onmessage = event => {
    const answer = JSON.parse(event.data);
    if (answer.ok) {
      result.className = "ok";
      result.textContent = "applied";
      log("info", `config applied: ${JSON.stringify(answer.config)}`);
    } else {
      result.className = "error";
      result.textContent = answer.error;
      log("warn", `config refused: ${answer.error}`);
    }
    socket.close();
  };
  socket.onerror = () => { result.className = "error"; result.textContent = "the config socket failed"; };
});

// ---------- source status ----------
/** The status of the stream shown; also the header's list of streams (stream-picker.js). */
async function refreshStatus() {
  try {
    const id = shownStream();
    const status = await runtimeStatus();
    showStreams(status);
    if (id !== shownStream()) return; // another stream was chosen meanwhile, or this one went away
    const stream = status.streams?.[id] ?? (id === MAIN ? status.stream : undefined);
    if (stream && !stream.refused) {
      const pose = stream.pose;
      const rows = {
        source: `${stream.source?.id ?? "?"} – ${stream.source?.label ?? ""}`,
        state: stream.capture?.state,
        buffers: stream.capture?.buffers,
        "lost in source": stream.capture?.lost_in_source,
        "last error": stream.capture?.last_error ?? "none",
        volume: typeof stream.source?.volume === "string" ? stream.source.volume : undefined,
        truth: stream.source?.truth ? `azimuth ${stream.source.truth.azimuth_deg}°` : undefined,
        pose: pose ? [pose.x === undefined ? "" : `x ${pose.x} m, y ${pose.y} m, heading ${pose.heading_deg}° (from the ${pose.from})`,
          pose.problem ?? ""].filter(Boolean).join("; ") : undefined,
        "audio clients": status.audio_clients?.streams?.[id]?.connected ?? status.audio_clients?.connected
      };
      $("#source-status").replaceChildren(...Object.entries(rows).filter(([, v]) => v !== undefined)
        .flatMap(([k, v]) => { const dt = document.createElement("dt"), dd = document.createElement("dd"); dt.textContent = k; dd.textContent = v; return [dt, dd]; }));
    }
  } catch (e) { /* the runtime restarts: the next poll tells */ }
}
async function pollStatus() {
  await refreshStatus();
  setTimeout(pollStatus, 2000);
}

// ---------- levels ----------
const meters = (() => {
  let rms = [], peak = [], bars = [], pending = false;
  return {
    build(channels) {
      rms = new Float64Array(channels); peak = new Float64Array(channels);
      bars = Array.from({ length: channels }, (_, c) => {
        const row = document.createElement("div");
        row.className = "meter";
        row.innerHTML = `<span>ch ${c}</span><span class="bar"><span class="rms"></span><span class="peak"></span></span><span class="db"></span>`;
        return row;
      });
      $("#meters").replaceChildren(...bars);
    },
    measure(samples, channels, frames) {
      const sum = new Float64Array(channels), max = new Float64Array(channels);
      for (let i = 0; i < samples.length; i++) {
        const c = i % channels, v = samples[i] / 32768;
        sum[c] += v * v;
        if (Math.abs(v) > max[c]) max[c] = Math.abs(v);
      }
      for (let c = 0; c < channels; c++) { rms[c] = Math.sqrt(sum[c] / frames); peak[c] = max[c]; }
      if (!pending) { pending = true; requestAnimationFrame(() => this.draw()); }
    },
    draw() {
      pending = false;
      const scale = db => Math.max(0, Math.min(1, (db + 60) / 60));
      bars.forEach((row, c) => {
        const db = 20 * Math.log10(rms[c] || 1e-9), peakDb = 20 * Math.log10(peak[c] || 1e-9);
        row.querySelector(".rms").style.width = `${scale(db) * 100}%`;
        row.querySelector(".peak").style.left = `${scale(peakDb) * 100}%`;
        row.querySelector(".db").textContent = `${db.toFixed(1)} dB`;
      });
    }
  };
})();
function buildMeters(channels) { meters.build(channels); }

// ---------- waveform ----------
const wave = (() => {
  const canvas = $("#waveform"), context = canvas.getContext("2d");
  const columns = 600; // min/max pairs across the width
  let mins = new Float32Array(columns), maxs = new Float32Array(columns), head = 0, pending = false, framesPerColumn = 400;
  return {
    reset() {
      mins.fill(0); maxs.fill(0); head = 0;
      framesPerColumn = Math.max(1, Math.round((state.config?.rate ?? 48000) * 5 / columns)); // 5 s across
    },
    add(samples, channels, frames) {
      const c = Math.min(state.waveChannel, channels - 1);
      for (let f = 0; f < frames; f += framesPerColumn) {
        let lo = 1, hi = -1;
        for (let g = f; g < Math.min(frames, f + framesPerColumn); g++) {
          const v = samples[g * channels + c] / 32768;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        mins[head] = lo; maxs[head] = hi; head = (head + 1) % columns;
      }
      if (!pending) { pending = true; requestAnimationFrame(() => this.draw()); }
    },
    draw() {
      pending = false;
      const ratio = devicePixelRatio || 1, width = canvas.clientWidth, height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio)) { canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio); }
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      context.fillStyle = getComputedStyle(document.documentElement).getPropertyValue("--accent") || "#4363d8";
      const step = width / columns;
      for (let i = 0; i < columns; i++) {
        const k = (head + i) % columns;
        const y0 = (1 - maxs[k]) * height / 2, y1 = (1 - mins[k]) * height / 2;
        context.fillRect(i * step, y0, Math.max(1, step), Math.max(1, y1 - y0));
      }
    }
  };
})();

function fillChannelSelects(channels) {
  const waveSelect = $("#waveform-channel");
  waveSelect.replaceChildren(...Array.from({ length: channels }, (_, c) => new Option(`channel ${c}`, c, false, c === state.waveChannel)));
  const listenSelect = $("#listen-channels"), previous = listenSelect.value;
  const options = Array.from({ length: channels }, (_, c) => new Option(`channel ${c}`, `${c}`));
  for (let c = 0; c + 1 < channels; c += 2) options.push(new Option(`channels ${c} + ${c + 1} (stereo)`, `${c},${c + 1}`));
  listenSelect.replaceChildren(...options);
  if ([...listenSelect.options].some(o => o.value === previous)) listenSelect.value = previous;
}
$("#waveform-channel").addEventListener("change", event => { state.waveChannel = Number(event.target.value); wave.reset(); });

// ---------- listen and record ----------
const player = { context: null, node: null, feed: null, channels: [], recording: null, recordedFrames: 0, stats: null };
// The tab keeps a recording in memory (4 bytes a sample, then the WAV): 10 minutes of one channel
// at 48 kHz. Longer recordings belong to the runtime's recorder ("Record on the runtime"), which writes to disk.
const RECORDING_LIMIT_SAMPLES = 48000 * 600;

async function startListening() {
  const config = state.config;
  const chosen = $("#listen-channels").value.split(",").map(Number);
  const context = new AudioContext({ sampleRate: config.rate, latencyHint: "interactive" });
  await context.audioWorklet.addModule("/app/listen-worklet.js");
  const cushion = Math.max(config.buffer_frames * 2, Math.round(config.rate * 0.1));
  const node = new AudioWorkletNode(context, "earshot-listen", {
    numberOfInputs: 0, outputChannelCount: [2],
    processorOptions: { channels: chosen.length, capacity: cushion * 8, target: cushion }
  });
  node.connect(context.destination);
  node.port.onmessage = event => {
    if (player.node !== node) return; // a report still on its way when listening stopped
    player.stats = event.data;
    const ms = (event.data.buffered / config.rate * 1000).toFixed(0);
    $("#listen-status").textContent = `playing ${chosen.length === 1 ? "channel " + chosen[0] : "channels " + chosen.join(" + ")}`
      + ` · buffered ${ms} ms · underruns ${event.data.underruns} · skipped ${event.data.dropped} frames`;
  };
  player.feed = (samples, channels, frames) => {
    if (chosen.some(c => c >= channels)) return;
    const planes = chosen.map(() => new Float32Array(frames));
    for (let f = 0; f < frames; f++) chosen.forEach((c, k) => { planes[k][f] = samples[f * channels + c] / 32768; });
    node.port.postMessage(planes);
    if (player.recording) {
      player.recording.push(planes);
      player.recordedFrames += frames;
      $("#record").textContent = `Stop recording (${(player.recordedFrames / config.rate).toFixed(1)} s)`;
      if (player.recordedFrames * chosen.length >= RECORDING_LIMIT_SAMPLES) {
        log("warn", `recording stopped at the browser's limit of ${(player.recordedFrames / config.rate).toFixed(0)} s`
          + ` for ${chosen.length} channel(s); for longer ones use "Record on the runtime", which writes to the runtime's disk`);
        finishRecording();
      }
    }
  };
  listeners.add(player.feed);
  Object.assign(player, { context, node, channels: chosen });
  $("#listen").textContent = "Stop";
  $("#record").disabled = false;
  log("info", `listening to ${chosen.join(" + ")} at ${config.rate} Hz`);
  setTimeout(() => {
    if (player.context === context && context.state !== "running") {
      $("#listen-status").textContent = `the browser has not started audio (${context.state}):`
        + " allow sound for this page, or check that it has an audio output";
      log("warn", `audio not started by the browser: ${context.state}`);
    }
  }, 1500);
}

function stopListening() {
  if (player.recording) finishRecording();
  listeners.delete(player.feed);
  if (player.node) player.node.port.onmessage = null;
  player.node?.disconnect();
  player.context?.close();
  Object.assign(player, { context: null, node: null, feed: null });
  $("#listen").textContent = "Listen";
  $("#record").disabled = true;
  $("#listen-status").textContent = "stopped";
}

$("#listen").addEventListener("click", () => (player.context ? stopListening() : startListening().catch(e => log("error", `listen failed: ${e}`))));
$("#record").addEventListener("click", () => {
  if (player.recording) finishRecording();
  else {
    Object.assign(player, { recording: [], recordedFrames: 0 });
    $("#record").textContent = "Stop recording (0.0 s)";
    log("info", "recording what is heard");
  }
});

function finishRecording() {
  const chunks = player.recording, channels = player.channels.length, rate = state.config.rate;
  player.recording = null;
  $("#record").textContent = "Record";
  const frames = chunks.reduce((n, planes) => n + planes[0].length, 0);
  const bytes = new DataView(new ArrayBuffer(44 + frames * channels * 2));
  const text = (offset, s) => [...s].forEach((ch, i) => bytes.setUint8(offset + i, ch.charCodeAt(0)));
  text(0, "RIFF"); bytes.setUint32(4, 36 + frames * channels * 2, true); text(8, "WAVE");
  text(12, "fmt "); bytes.setUint32(16, 16, true); bytes.setUint16(20, 1, true); bytes.setUint16(22, channels, true);
  bytes.setUint32(24, rate, true); bytes.setUint32(28, rate * channels * 2, true); bytes.setUint16(32, channels * 2, true);
  bytes.setUint16(34, 16, true); text(36, "data"); bytes.setUint32(40, frames * channels * 2, true);
  let offset = 44;
  for (const planes of chunks) {
    for (let f = 0; f < planes[0].length; f++) {
      for (let c = 0; c < channels; c++) { bytes.setInt16(offset, Math.max(-32768, Math.min(32767, Math.round(planes[c][f] * 32768))), true); offset += 2; }
    }
  }
  const link = $("#recording");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
  link.download = `earshot-${new Date().toISOString().replace(/[:.]/g, "-")}.wav`;
  link.textContent = `${link.download} (${(frames / rate).toFixed(1)} s)`;
  link.hidden = false;
  link.click();
  log("info", `recorded ${(frames / rate).toFixed(1)} s`);
}


function showLatency() {
  const sorted = [...state.latencies].sort((a, b) => a - b);
  $("#latency").textContent = sorted.length ? `latency ${sorted[Math.floor(sorted.length / 2)]} ms` : "latency –";
}

export function startStream() {
  for (const hint of document.querySelectorAll(".main-only")) hint.hidden = shownStream() === MAIN;
  onStreamChange(showOtherStream);
  connectAudio();
  pollStatus();
  setInterval(showLatency, 500);
}
