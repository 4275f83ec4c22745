// The Stream tab's source switch: /api/source?stream= lists the sources of the stream shown and
// switches that stream to one (the browser's talks among them), as earshot:source does.

import { shownStream, onStreamChange } from "./page.js";
import { streamRunning } from "./stream-picker.js";

const $ = selector => document.querySelector(selector);

export function startSourceSwitch({ authorization, log }) {
  const select = $("#source-select"), result = $("#source-result");
  const address = stream => `/api/source?stream=${encodeURIComponent(stream)}`;
  let picked = null; // a source chosen in the list and not switched to yet: a refresh keeps it
  select.addEventListener("change", () => { picked = select.value; });

  async function refresh(anew = false) {
    const stream = shownStream();
    if (!streamRunning(stream)) return; // gone: asking would be a 404 in the console; main is shown next
    try {
      const response = await fetch(address(stream), { headers: authorization() });
      if (response.ok && stream === shownStream()) {
        const source = await response.json();
        if (anew || document.activeElement !== select) {
          const shown = source.available.includes(picked) ? picked : source.selected;
          select.replaceChildren(...source.available.map(id => new Option(id, id, false, id === shown)));
        }
      }
    } catch (e) { /* the runtime restarts: the next refresh tells */ }
  }

  $("#source-switch").addEventListener("click", async () => {
    const stream = shownStream();
    picked = null;
    const response = await fetch(address(stream), {
      method: "POST", headers: { ...authorization(), "Content-Type": "application/json" },
      body: JSON.stringify({ source: select.value })
    });
    const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    result.className = answer.ok ? "ok" : "error";
    result.textContent = answer.ok ? `switching to ${answer.selected}` : answer.error;
    log(answer.ok ? "info" : "warn", answer.ok ? `source of ${stream}: switching to ${answer.selected}` : `source switch of ${stream} refused: ${answer.error}`);
    refresh();
  });
  onStreamChange(() => {
    picked = null;
    select.replaceChildren();
    result.textContent = "";
    result.className = "";
    refresh(true);
  });
  refresh();
  setInterval(refresh, 5000);
}
