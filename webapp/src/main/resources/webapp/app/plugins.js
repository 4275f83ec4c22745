// The Plugins view: the plugins folder's bundles with their counters and problems, start, stop,
// remove, and uploads (drop or choose a jar). Uses /api/plugins.

import { $, authorization, log } from "./page.js";

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
