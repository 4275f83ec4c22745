// The Stream tab's source switch: /api/source lists the sources and switches the hub to one
// (the browser's talks among them), as earshot:source does.

const $ = selector => document.querySelector(selector);

export function startSourceSwitch({ authorization, log }) {
  const select = $("#source-select"), result = $("#source-result");

  async function refresh() {
    try {
      const response = await fetch("/api/source", { headers: authorization() });
      if (response.ok) {
        const source = await response.json();
        if (document.activeElement !== select) {
          select.replaceChildren(...source.available.map(id => new Option(id, id, false, id === source.selected)));
        }
      }
    } catch (e) { /* the runtime restarts: the next refresh tells */ }
  }

  $("#source-switch").addEventListener("click", async () => {
    const response = await fetch("/api/source", {
      method: "POST", headers: { ...authorization(), "Content-Type": "application/json" },
      body: JSON.stringify({ source: select.value })
    });
    const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    result.className = answer.ok ? "ok" : "error";
    result.textContent = answer.ok ? `switching to ${answer.selected}` : answer.error;
    log(answer.ok ? "info" : "warn", answer.ok ? `source: switching to ${answer.selected}` : `source switch refused: ${answer.error}`);
    refresh();
  });
  refresh();
  setInterval(refresh, 5000);
}
