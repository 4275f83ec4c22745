// The handlers' tabs: /ws/ui tells the installed types, the handlers and their data; each type's
// renderer module is imported the first time a handler of it shows. Also the console's lines.

import { $, wsUrl, runtimeStatus, log, select, currentView } from "./page.js";

const handlerTypes = new Map();   // type -> {renderer, audio}
const renderers = new Map();      // renderer path -> module promise
const handlers = new Map();       // id -> {tab, view, instance, handler, queued}

/** Connects once the runtime's status shows a dashboard: a socket refused while it starts would be an error in the console. */
export async function connectDashboard() {
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
  if (view.getUint32(0, true) !== 0x31305345) return; // "ES01", its header extended by rate, channels and the handler's id
  const headerLength = view.getInt32(4, true);
  const rate = view.getInt32(24, true), channels = view.getInt32(28, true), idLength = view.getInt32(32, true);
  const id = new TextDecoder().decode(new Uint8Array(buffer, 36, idLength));
  const samples = new Int16Array(buffer, headerLength);
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

