// What every view of the page shares: the access token (from ?token=, kept for the tab's
// session), the stream the page shows (from ?stream=, else the last one chosen in this browser),
// addresses, the runtime's status, the console log, and the tabs.

const query = new URLSearchParams(location.search);
if (query.has("token")) sessionStorage.setItem("earshot.token", query.get("token"));
export const token = sessionStorage.getItem("earshot.token");

// ---------- the stream shown ----------
// The Stream tab and the header show one stream: main unless ?stream= or this browser's last
// choice says another. chooseStream() changes it, writes it into the address (next to ?token=,
// so a link opens the same view) and tells those that follow it.
export const MAIN = "main";
let shown = query.get("stream") || localStorage.getItem("earshot.stream") || MAIN;
const streamChanges = new EventTarget();
/** The id of the stream the page shows. */
export const shownStream = () => shown;
/** Calls back with the new id each time the page shows another stream. */
export const onStreamChange = callback => streamChanges.addEventListener("change", () => callback(shown));
export function chooseStream(id) {
  localStorage.setItem("earshot.stream", id);
  const address = new URL(location.href);
  address.searchParams.set("stream", id);
  history.replaceState(history.state, "", address);
  if (id === shown) return;
  shown = id;
  streamChanges.dispatchEvent(new Event("change"));
}
// the address says the stream shown, also when it came from this browser's last choice
if (shown !== MAIN && !query.has("stream")) chooseStream(shown);

export const $ = selector => document.querySelector(selector);
export const wsUrl = (path, extra = {}) => {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (token) url.searchParams.set("token", token);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.href;
};

export const authorization = () => (token ? { Authorization: `Bearer ${token}` } : {});

/** The runtime's status, or {} while it is not answering. */
export async function runtimeStatus() {
  try {
    const response = await fetch("/api/status", { headers: authorization() });
    return response.ok ? await response.json() : {};
  } catch (e) {
    return {};
  }
}

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
export let currentView = "stream";
export function select(view) {
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

