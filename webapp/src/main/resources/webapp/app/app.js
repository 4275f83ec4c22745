// The Earshot webapp: the stream (config, levels, waveform, listen, record), one tab per handler
// created by plugins, the recordings on the runtime's disk (recordings.js), the script editor
// (editor.js), and the console. Talks to /ws/audio, /ws/config, /ws/ui and /api/status.

import { startEditor } from "./editor.js";
import { startRecordings } from "./recordings.js";
import { startDevices } from "./devices.js";

const query = new URLSearchParams(location.search);
if (query.has("token")) sessionStorage.setItem("earshot.token", query.get("token"));
const token = sessionStorage.getItem("earshot.token");

const $ = selector => document.querySelector(selector);
const wsUrl = (path, extra = {}) => {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (token) url.searchParams.set("token", token);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.href;
};

// ---------- console ----------
const consoleView = $("#console");
let consoleErrors = 0;
const MAX_CONSOLE_LINES = 2000;
export function log(level, text, source = "webapp") {
  const line = document.createElement("div");
  line.className = `line ${level}`;
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  line.append(time, `[${source}] ${text}`);
  consoleView.append(line);
  while (consoleView.childElementCount > MAX_CONSOLE_LINES) consoleView.firstElementChild.remove();
  if (level === "error") {
    consoleErrors++;
    const badge = $("#console-errors");
    badge.textContent = consoleErrors;
    badge.hidden = false;
  }
}

// ---------- tabs ----------
let currentView = "stream";
function select(view) {
  currentView = view;
  const all = view === "all";
  for (const tab of document.querySelectorAll("nav [role=tab]")) tab.setAttribute("aria-selected", tab.dataset.view === view);
  $("#handler-views").classList.toggle("grid", all);
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = all ? !section.classList.contains("handler-view") : section.id !== `view-${view}`;
  }
  if (view === "console") { consoleErrors = 0; $("#console-errors").hidden = true; }
}
$("#tabs").addEventListener("click", event => {
  const tab = event.target.closest("[role=tab]");
  if (tab) select(tab.dataset.view);
});

// ---------- stream: audio socket ----------
const state = { config: null, possible: null, latencies: [], levels: null, waveChannel: 0 };
const listeners = new Set(); // (planes per channel as Int16 views, config) for Listen

/** The runtime's status, or {} while it is not answering. */
async function runtimeStatus() {
  try {
    const response = await fetch("/api/status", { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return response.ok ? await response.json() : {};
  } catch (e) {
    return {};
  }
}

/** Connects once the status shows the audio bridge: a socket refused while the runtime starts would be a console error. */
async function connectAudio() {
  if (!(await runtimeStatus()).audio_clients) { setTimeout(connectAudio, 500); return; }
  const socket = new WebSocket(wsUrl("/ws/audio", { header: "1" }));
  socket.binaryType = "arraybuffer";
  socket.onopen = () => { $("#connection").classList.add("on"); log("info", "audio stream connected"); };
  socket.onclose = event => {
    $("#connection").classList.remove("on");
    log("warn", `audio stream closed (${event.code}${event.reason ? ": " + event.reason : ""}); reconnecting`);
    setTimeout(connectAudio, 1000);
  };
  socket.onmessage = event => {
    if (typeof event.data === "string") {
      const message = JSON.parse(event.data);
      if ("possible_rates" in message) { state.possible = message; fillConfigForm(); }
      else { state.config = message; fillConfigForm(); onNewConfig(); }
      return;
    }
    onBuffer(event.data);
  };
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
  if (view.getUint32(0, true) !== 0x31305345) return; // "ES01"
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
  const socket = new WebSocket(wsUrl("/ws/config"));
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
async function pollStatus() {
  try {
    const response = await fetch("/api/status", { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (response.ok) {
      const status = await response.json();
      const stream = status.stream ?? {};
      const rows = {
        source: `${stream.source?.id ?? "?"} – ${stream.source?.label ?? ""}`,
        state: stream.capture?.state,
        buffers: stream.capture?.buffers,
        "lost in source": stream.capture?.lost_in_source,
        "last error": stream.capture?.last_error ?? "none",
        volume: typeof stream.source?.volume === "string" ? stream.source.volume : undefined,
        truth: stream.source?.truth ? `azimuth ${stream.source.truth.azimuth_deg}°` : undefined,
        "audio clients": status.audio_clients?.connected
      };
      $("#source-status").replaceChildren(...Object.entries(rows).filter(([, v]) => v !== undefined)
        .flatMap(([k, v]) => { const dt = document.createElement("dt"), dd = document.createElement("dd"); dt.textContent = k; dd.textContent = v; return [dt, dd]; }));
    }
  } catch (e) { /* the runtime restarts: the next poll tells */ }
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

// ---------- handlers (the dashboard) ----------
const handlerTypes = new Map();   // type -> {renderer, audio}
const renderers = new Map();      // renderer path -> module promise
const handlers = new Map();       // id -> {tab, view, instance, handler, queued}

/** Connects once the runtime's status shows a dashboard: a socket refused while it starts would be an error in the console. */
async function connectDashboard() {
  if (!(await runtimeStatus()).dashboard) { setTimeout(connectDashboard, 500); return; }
  const socket = new WebSocket(wsUrl("/ws/ui"));
  socket.binaryType = "arraybuffer";
  socket.onopen = () => log("info", "dashboard connected");
  socket.onclose = event => {
    log("warn", `dashboard closed (${event.code}${event.reason ? ": " + event.reason : ""}); reconnecting`);
    for (const id of [...handlers.keys()]) removeHandler(id);
    setTimeout(connectDashboard, 1000);
  };
  socket.onmessage = event => {
    if (typeof event.data !== "string") { handlerAudio(event.data); return; }
    const message = JSON.parse(event.data);
    if (message.types) {
      handlerTypes.clear();
      for (const t of message.types) handlerTypes.set(t.type, t);
    }
    if (message.handlers) message.handlers.forEach(addHandler);
    if (message.add) addHandler(message.add);
    if (message.remove) removeHandler(message.remove);
    if (message.data) handlerData(message.data.id, message.data.data);
    if (message.log) log(message.log.level ?? "info", message.log.message, message.log.source ?? "runtime");
  };
}

function addHandler(handler) {
  if (handlers.has(handler.id)) return;
  const tab = document.createElement("button");
  tab.setAttribute("role", "tab");
  tab.dataset.view = `handler-${handler.id}`;
  tab.dataset.handler = handler.id;
  tab.textContent = handler.name;
  tab.title = `${handler.type} · ${handler.owner}`;
  $("#handler-tabs").append(tab);
  const view = document.createElement("section");
  view.id = `view-handler-${handler.id}`;
  view.className = "view handler-view";
  view.hidden = currentView !== "all";
  const title = document.createElement("h2");
  title.textContent = handler.name;
  view.append(title);
  const box = document.createElement("div");
  box.className = "handler";
  box.dataset.type = handler.type;
  view.append(box);
  $("#handler-views").append(view);
  const entry = { tab, view, instance: null, handler, queued: [] };
  handlers.set(handler.id, entry);
  const type = handlerTypes.get(handler.type);
  if (!type) { log("error", `no renderer for handler type ${handler.type}`); return; }
  if (!renderers.has(type.renderer)) renderers.set(type.renderer, import(type.renderer));
  renderers.get(type.renderer).then(module => {
    if (handlers.get(handler.id) !== entry) return;
    entry.instance = module.create(box, handler);
    for (const item of entry.queued) deliver(entry, item);
    entry.queued = [];
  }).catch(e => log("error", `renderer of ${handler.type} failed to load: ${e}`));
}

function deliver(entry, item) {
  try {
    if (item.audio) entry.instance.audio?.(item.audio.samples, item.audio.rate, item.audio.channels);
    else entry.instance.data(item.data);
  } catch (e) {
    log("error", `handler ${entry.handler.name} could not draw: ${e}`);
  }
}

function handlerData(id, data) {
  const entry = handlers.get(id);
  if (!entry) return;
  if (entry.instance) deliver(entry, { data });
  else entry.queued.splice(0, entry.queued.length, { data }); // only the latest matters until it loads
}

function handlerAudio(buffer) {
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== 0x31304145) return; // "EA01"
  const idLength = view.getInt32(4, true);
  const id = new TextDecoder().decode(new Uint8Array(buffer, 8, idLength));
  const rate = view.getInt32(8 + idLength, true), channels = view.getInt32(12 + idLength, true);
  const samples = new Int16Array(buffer.slice(16 + idLength));
  const entry = handlers.get(id);
  if (entry?.instance) deliver(entry, { audio: { samples, rate, channels } });
}

function removeHandler(id) {
  const entry = handlers.get(id);
  if (!entry) return;
  handlers.delete(id);
  try { entry.instance?.dispose?.(); } catch (e) { log("warn", `handler ${entry.handler.name} failed to dispose: ${e}`); }
  if (entry.tab.getAttribute("aria-selected") === "true") select("stream");
  entry.tab.remove();
  entry.view.remove();
}

// ---------- plugins ----------
const authorization = () => (token ? { Authorization: `Bearer ${token}` } : {});

async function refreshPlugins() {
  try {
    const response = await fetch("/api/plugins", { headers: authorization() });
    const answer = await response.json();
    if (!response.ok) { log("warn", `plugins: ${answer.error}`); return; }
    $("#plugins-folder").textContent = answer.folder;
    $("#plugins-empty").hidden = answer.plugins.length > 0;
    $("#plugins tbody").replaceChildren(...answer.plugins.flatMap(pluginRows));
    const removed = answer.removed_but_running ?? [];
    $("#plugins-removed-running").hidden = removed.length === 0;
    $("#plugins-removed-running").replaceChildren(...removed.map(plugin => {
      const line = document.createElement("p");
      line.textContent = `${plugin.name} was removed, but its code still runs: ${threadList(plugin.lingering_threads)}.`
        + " Java cannot end a thread from outside: restart Earshot to end it.";
      return line;
    }));
  } catch (e) { /* the runtime restarts: the next refresh tells */ }
}

function pluginRow(plugin) {
  const row = document.createElement("tr");
  row.dataset.plugin = plugin.name;
  const cells = [plugin.id, `${plugin.name} ${plugin.version}`, plugin.state, plugin.buffers_delivered,
    plugin.buffers_dropped, plugin.callbacks_failed, plugin.handlers.join(", ") || "–"];
  cells.forEach((value, i) => {
    const cell = row.insertCell();
    cell.textContent = value;
    if (i >= 3 && i <= 5) cell.className = "number";
  });
  const actions = row.insertCell();
  const action = (label, method, path) => {
    const button = document.createElement("button");
    button.textContent = label;
    button.onclick = async () => {
      const response = await fetch(`/api/plugins/${plugin.id}${path}`, { method, headers: authorization() });
      const answer = await response.json();
      if (!answer.ok) log("error", `${label} ${plugin.name}: ${answer.error}`);
      else log("info", `${label} ${plugin.name}: done`);
      setTimeout(refreshPlugins, 300);
    };
    actions.append(button, " ");
  };
  if (plugin.state === "active") action("Stop", "POST", "/stop"); else action("Start", "POST", "/start");
  action("Remove", "DELETE", "");
  return row;
}

const threadList = threads => threads.map(t =>
  `thread '${t.thread}' (${t.state}, ${t.cpu_ms_since_stop >= 0 ? `${(t.cpu_ms_since_stop / 1000).toFixed(1)} s CPU since the stop` : "CPU unknown"}, at ${t.where})`).join("; ");

/** A plugin's row, and a second one saying what the runtime had to contain of it, if anything. */
function pluginRows(plugin) {
  const rows = [pluginRow(plugin)];
  const notes = [];
  if (plugin.problem) notes.push(plugin.problem);
  if (plugin.lingering_threads?.length) {
    notes.push(`stopped, but its code still runs: ${threadList(plugin.lingering_threads)}. Java cannot end a thread from outside: restart Earshot to end it.`);
  }
  if (notes.length) {
    const note = document.createElement("tr");
    note.className = "plugin-problem error";
    note.dataset.problemOf = plugin.name;
    const cell = note.insertCell();
    cell.colSpan = 8;
    cell.textContent = notes.join(" ");
    rows.push(note);
  }
  return rows;
}

async function uploadPlugin(file) {
  const result = $("#upload-result");
  result.className = "";
  result.textContent = `uploading ${file.name}…`;
  const response = await fetch(`/api/plugins?name=${encodeURIComponent(file.name)}`, {
    method: "POST", headers: { ...authorization(), "Content-Type": "application/java-archive" }, body: file
  });
  const answer = await response.json();
  if (answer.ok) {
    result.className = "ok";
    result.textContent = `${answer.bundle} added as ${answer.file}`;
    log("info", `plugin ${answer.bundle} uploaded`);
  } else {
    result.className = "error";
    result.textContent = answer.error;
    log("error", `upload of ${file.name} refused: ${answer.error}`);
  }
  setTimeout(refreshPlugins, 800);
}

const dropZone = $("#drop-zone");
dropZone.addEventListener("dragover", event => { event.preventDefault(); dropZone.classList.add("over"); });
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
dropZone.addEventListener("drop", event => {
  event.preventDefault();
  dropZone.classList.remove("over");
  for (const file of event.dataTransfer.files) uploadPlugin(file);
});
$("#plugin-file").addEventListener("change", event => { for (const file of event.target.files) uploadPlugin(file); event.target.value = ""; });
setInterval(() => { if (!$("#view-plugins").hidden) refreshPlugins(); }, 2000);
$("#tabs").addEventListener("click", event => { if (event.target.closest("[data-view=plugins]")) refreshPlugins(); });

// ---------- latency ----------
setInterval(() => {
  const sorted = [...state.latencies].sort((a, b) => a - b);
  $("#latency").textContent = sorted.length ? `latency ${sorted[Math.floor(sorted.length / 2)]} ms` : "latency –";
}, 500);

window.addEventListener("error", event => log("error", `${event.message}`));
window.addEventListener("unhandledrejection", event => log("error", `${event.reason}`));

/**
 * Whether this page holds the runtime's token. Without it the runtime refuses the dashboard (its
 * console may hold what a token holder printed) and every change, and a browser cannot see why a
 * socket was refused: so ask, and say it once instead of retrying for ever.
 */
async function checkAccess() {
  try {
    const response = await fetch("/api/access", { headers: authorization() });
    if (!response.ok) { setTimeout(checkAccess, 1000); return; }
    const access = await response.json();
    if (access.token) { connectDashboard(); return; }
    const notice = $("#access-notice");
    notice.textContent = (token ? "This page's access token is not the runtime's (it changed, or was mistyped)." : "This page has no access token.")
      + " Open the address Earshot printed when it started (http://…/?token=…; the token is also in the runtime's data/token)."
      + (access.open_reads ? " Until then it shows the stream; plugins' charts, the console and every change need the token." : "");
    notice.hidden = false;
    log("warn", notice.textContent);
  } catch (e) {
    setTimeout(checkAccess, 1000); // the runtime is starting
  }
}

connectAudio();
checkAccess();
pollStatus();
startEditor({ wsUrl, runtimeStatus, authorization, log });
startRecordings({ token, authorization, log, select });
startDevices({ authorization, log });
