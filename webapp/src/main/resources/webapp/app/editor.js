// The Editor view: a script (one Java class) written in the page and run in the runtime through
// /ws/scripts; its compile errors on their lines, what it prints, and the scripts running.

import { createCodeEditor } from "./code-editor.js";

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const NAME_RULE = "a script's name is 1..40 of a-z, 0-9 and '-', starting with a letter or digit";
const MAX_OUTPUT_LINES = 1000;
const MAX_OUTPUT_SCRIPTS = 32;
const MAX_DIAGNOSTICS = 100;
const STORE = "earshot.editor.";
const KINDS = { error: "error", warning: "warning", mandatory_warning: "warning" }; // the rest are notes

const TEMPLATE = `import java.util.List;
import java.util.Map;

import io.earshot.api.AudioBuffer;
import io.earshot.api.AudioListener;
import io.earshot.api.Dashboard;
import io.earshot.api.Handler;

/** RMS level of every channel, as a bar chart; runs on its own thread, one call per buffer. */
public class MyLevels implements AudioListener {

    private final Handler chart;
    private long buffers;

    public MyLevels(Dashboard dashboard) {
        chart = dashboard.handler("My levels", "base:graph:bar", Map.of("xName", "channel",
                "series", List.of(Map.of("name", "RMS dBFS")), "min", -100, "max", 0));
    }

    @Override
    public void onBuffer(AudioBuffer buffer) {
        double[] x = new double[buffer.channels()];
        double[] y = new double[buffer.channels()];
        for (int c = 0; c < buffer.channels(); c++) {
            double sum = 0;
            for (int f = 0; f < buffer.frames(); f++) {
                double v = buffer.sample(f, c) / (double) AudioBuffer.FULL_SCALE;
                sum += v * v;
            }
            x[c] = c;
            y[c] = 10 * Math.log10(Math.max(1e-10, sum / buffer.frames()));
        }
        chart.send(Map.of("replace", List.of(Map.of("x", x, "y", y))));
        if (++buffers % 50 == 0) System.out.println(buffers + " buffers, channel 0 at " + Math.round(y[0]) + " dB");
    }
}
`;

const $ = selector => document.querySelector(selector);
const nameField = $("#editor-name");
let deps;                 // {wsUrl, runtimeStatus, authorization, log} from app.js
let editor;
let socket = null, hello = null;
let running = [];         // [{name, bundle}] as the server last said
let awaited = null;       // {name, lines}: the run this page waits for, with the lines it sent
let examplesLoaded = false;
const output = { all: [], byName: new Map() };

/** localStorage, which a browser may refuse (private mode, quota): the editor works without it. */
function store(key, value) {
  try { localStorage.setItem(STORE + key, value); } catch (e) { /* kept in the page only */ }
}
function stored(key) {
  try { return localStorage.getItem(STORE + key); } catch (e) { return null; }
}

function setStatus(text, kind = "") {
  const status = $("#editor-status");
  status.textContent = text;
  status.className = kind;
}

// ---------- name, text, examples ----------

function checkName() {
  const name = nameField.value, ok = NAME.test(name);
  const message = $("#editor-name-error");
  message.hidden = ok;
  message.textContent = ok ? "" : `${name ? `'${name}' is not a valid name` : "the script needs a name"}: ${NAME_RULE}.`;
  nameField.setAttribute("aria-invalid", String(!ok));
  return ok;
}

function load(source, name) {
  editor.text = source;
  nameField.value = name;
  store("name", name);
  store("baseline", source);
  checkName();
  showDiagnostics([]);
  renderOutput();
  updateButtons();
}

/** Edits not yet run nor loaded: choosing an example asks before it replaces them. */
const dirty = () => editor.text !== stored("baseline");

async function errorOf(response) {
  const text = await response.text();
  try { return JSON.parse(text).error ?? text; } catch (e) { return text || `HTTP ${response.status}`; }
}

async function loadExamples() {
  if (examplesLoaded) return;
  examplesLoaded = true;
  try {
    const response = await fetch("/api/scripts/examples", { headers: deps.authorization() });
    if (!response.ok) throw new Error(await errorOf(response));
    const options = (await response.json()).map(example => {
      const option = new Option(example.title || example.name, example.name);
      option.title = example.description ?? "";
      return option;
    });
    $("#editor-examples").append(...options);
  } catch (e) {
    examplesLoaded = false; // the next hello tries again
    deps.log("warn", `the script examples could not be loaded: ${e.message}`);
  }
}

async function chooseExample(select) {
  const name = select.value;
  if (!name) return;
  if (dirty() && !confirm(`Replace the text in the editor with the example ${name}? Your edits are lost.`)) {
    select.value = "";
    return;
  }
  try {
    const response = await fetch(`/api/scripts/examples/${encodeURIComponent(name)}`, { headers: deps.authorization() });
    if (!response.ok) throw new Error(await errorOf(response));
    load(await response.text(), name);
    setStatus(`example ${name} loaded: Run starts it`);
  } catch (e) {
    setStatus(`the example ${name} could not be loaded: ${e.message}`, "error");
  }
}

// ---------- diagnostics ----------

/** Lists the compiler's messages and marks their lines, those the user has not edited since Run. */
function showDiagnostics(diagnostics, sentLines = []) {
  const list = diagnostics.map(d => ({ ...d, kind: KINDS[d.kind] ?? "note" }));
  const lines = editor.text.split("\n");
  editor.mark(list.filter(d => d.line > 0 && lines[d.line - 1] === sentLines[d.line - 1]));
  const items = list.slice(0, MAX_DIAGNOSTICS).map(diagnosticItem);
  if (list.length > MAX_DIAGNOSTICS) {
    const more = document.createElement("li");
    more.textContent = `and ${list.length - MAX_DIAGNOSTICS} more`;
    items.push(more);
  }
  $("#editor-diagnostics").replaceChildren(...items);
}

function diagnosticItem(d) {
  const item = document.createElement("li");
  item.className = d.kind;
  if (d.line < 1) {
    item.textContent = `${d.kind}: ${d.message}`;
    return item;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.line = d.line;
  button.dataset.column = d.column;
  button.textContent = `line ${d.line}, column ${d.column} · ${d.kind}: ${d.message}`;
  button.title = "show the place in the editor";
  button.addEventListener("click", () => editor.goTo(d.line, d.column));
  item.append(button);
  return item;
}

// ---------- output ----------

function pushBounded(lines, line) {
  lines.push(line);
  if (lines.length > MAX_OUTPUT_LINES) lines.splice(0, lines.length - MAX_OUTPUT_LINES);
}

/** Keeps a line of a script (or a note without a name, which concerns every script) and shows it if it passes the filter. */
function addOutput(line) {
  pushBounded(output.all, line);
  const name = line.name ?? nameField.value;
  if (!output.byName.has(name)) {
    if (output.byName.size >= MAX_OUTPUT_SCRIPTS) output.byName.delete(output.byName.keys().next().value);
    output.byName.set(name, []);
  }
  pushBounded(output.byName.get(name), line);
  if (!showsAll() && name !== nameField.value) return;
  const pane = $("#editor-output");
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 8;
  pane.append(outputLine(line));
  while (pane.childElementCount > MAX_OUTPUT_LINES) pane.firstElementChild.remove();
  if (atBottom) pane.scrollTop = pane.scrollHeight;
}

const showsAll = () => $("#editor-output-all").checked;

function renderOutput() {
  const pane = $("#editor-output");
  pane.replaceChildren(...(showsAll() ? output.all : output.byName.get(nameField.value) ?? []).map(outputLine));
  pane.scrollTop = pane.scrollHeight;
}

function outputLine(line) {
  const element = document.createElement("div");
  element.className = `line ${line.note ? "note" : line.stream}`;
  const time = document.createElement("time");
  time.textContent = new Date(line.time ?? Date.now()).toLocaleTimeString();
  element.append(time, (showsAll() && line.name ? `[${line.name}] ` : "") + (line.note ?? line.text));
  return element;
}

function clearOutput() {
  if (showsAll()) { output.all = []; output.byName.clear(); }
  else {
    output.byName.delete(nameField.value);
    output.all = output.all.filter(line => line.name !== nameField.value);
  }
  renderOutput();
}

// ---------- running scripts ----------

function showScripts(scripts) {
  running = scripts ?? [];
  $("#editor-scripts tbody").replaceChildren(...running.map(script => {
    const row = document.createElement("tr");
    row.dataset.script = script.name;
    row.insertCell().textContent = script.name;
    row.insertCell().textContent = script.bundle;
    const stop = document.createElement("button");
    stop.type = "button";
    stop.textContent = "Stop";
    stop.setAttribute("aria-label", `stop ${script.name}`);
    stop.addEventListener("click", () => stopScript(script.name));
    row.insertCell().append(stop);
    return row;
  }));
  $("#editor-scripts-empty").hidden = running.length > 0;
  updateButtons();
}

/** Why scripts cannot run here, or null when they can (or the server has not said yet). */
function unavailable() {
  if (!hello) return null;
  if (!hello.enabled || !hello.compiler) {
    return hello.reason ?? (hello.enabled ? "this runtime has no Java compiler: start it with a JDK to run scripts"
      : "the script executor is turned off in this runtime");
  }
  if (!hello.authorized) {
    return "this page has no valid access token, so it cannot run or stop scripts:"
      + " open it with the address the runtime printed at its start (…/?token=…)";
  }
  return null;
}

function updateButtons() {
  const reason = unavailable(), usable = Boolean(socket && hello && !reason);
  const notice = $("#editor-notice");
  notice.hidden = !reason;
  notice.textContent = reason ?? "";
  $("#editor-run").disabled = !usable;
  $("#editor-stop").disabled = !usable || !running.some(script => script.name === nameField.value);
  for (const button of document.querySelectorAll("#editor-scripts button")) button.disabled = !usable;
}

// ---------- the socket ----------

function send(message) {
  if (socket?.readyState !== WebSocket.OPEN) {
    setStatus("not connected to the script executor; it reconnects by itself", "error");
    return false;
  }
  socket.send(JSON.stringify(message));
  return true;
}

function run() {
  if (!checkName()) {
    setStatus(`cannot run: ${NAME_RULE}`, "error");
    nameField.focus();
    return;
  }
  if ($("#editor-run").disabled) return; // Ctrl+Enter while scripts cannot run: the notice says why
  const name = nameField.value, source = editor.text;
  showDiagnostics([]);
  if (send({ type: "run", name, source })) {
    awaited = { name, lines: source.split("\n") };
    store("baseline", source);
    setStatus(`sending ${name}…`);
  }
}

function stopScript(name) {
  if (send({ type: "stop", name })) setStatus(`stopping ${name}…`);
}

const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;

const receivers = {
  hello(message) {
    hello = message;
    showScripts(message.scripts);
    setStatus(unavailable() ? "" : "ready");
    loadExamples();
  },
  compiling(message) {
    if (awaited?.name === message.name) setStatus(`compiling ${message.name}…`);
  },
  started(message) {
    if (awaited?.name !== message.name) return;
    const warnings = (message.diagnostics ?? []).filter(d => KINDS[d.kind] === "warning").length;
    setStatus(`${message.name} runs (bundle ${message.bundle}, compiled and started in ${message.millis} ms`
      + `${warnings ? ", " + count(warnings, "warning") : ""})`, "ok");
    showDiagnostics(message.diagnostics ?? [], awaited.lines);
    awaited = null;
  },
  failed(message) {
    if (awaited?.name !== message.name) return;
    const errors = (message.diagnostics ?? []).filter(d => d.kind === "error").length;
    setStatus(`${message.name}: ${message.error}${errors ? ` (${count(errors, "error")})` : ""}`, "error");
    showDiagnostics(message.diagnostics ?? [], awaited.lines);
    awaited = null;
  },
  stopped(message) {
    if (message.name === nameField.value) setStatus(`${message.name} stopped`);
  },
  scripts(message) {
    showScripts(message.scripts);
  },
  output(message) {
    addOutput(message);
  },
  truncated(message) {
    addOutput({ name: message.name, time: Date.now(),
      note: `… ${count(message.lines, "line")} left out: ${message.why ?? "printed faster than they are sent"}` });
  },
  error(message) {
    awaited = null;
    setStatus(message.error, "error");
  }
};

/**
 * Connects once the runtime has started its dashboard (the script executor starts with it): a socket
 * refused while the runtime starts would be an error in the browser's console.
 */
async function connect() {
  if (!(await deps.runtimeStatus()).dashboard) { setTimeout(connect, 1000); return; }
  socket = new WebSocket(deps.wsUrl("/ws/scripts"));
  socket.onmessage = event => {
    const message = JSON.parse(event.data);
    receivers[message.type]?.(message);
  };
  socket.onclose = event => {
    socket = null;
    hello = null;
    awaited = null;
    updateButtons();
    const why = `${event.code}${event.reason ? ": " + event.reason : ""}`;
    setStatus(`the script executor closed the connection (${why}); reconnecting`, "error");
    deps.log("warn", `script executor closed (${why}); reconnecting`);
    setTimeout(connect, 1000);
  };
}

/** Builds the view. dependencies: {wsUrl, runtimeStatus, authorization, log} of app.js. */
export function startEditor(dependencies) {
  deps = dependencies;
  editor = createCodeEditor($("#view-editor .code-editor"), { onChange: text => store("source", text), onRun: run });
  const source = stored("source");
  if (source === null) load(TEMPLATE, "my-levels");
  else { editor.text = source; nameField.value = stored("name") ?? "my-levels"; checkName(); }

  nameField.addEventListener("input", () => {
    checkName();
    store("name", nameField.value);
    renderOutput();
    updateButtons();
  });
  $("#editor-examples").addEventListener("change", event => chooseExample(event.target));
  $("#editor-run").addEventListener("click", run);
  $("#editor-stop").addEventListener("click", () => stopScript(nameField.value));
  $("#editor-output-all").addEventListener("change", renderOutput);
  $("#editor-output-clear").addEventListener("click", clearOutput);
  // the socket opens with the view: a page that never shows the editor does not hold one
  const tab = $("nav [data-view=editor]");
  tab.addEventListener("click", () => {
    setStatus("connecting to the script executor…");
    connect();
  }, { once: true });
}
