// The Intercom card of the Stream view: records SECONDS of the stream in the runtime and sends the
// clip to every connected bin/earshot-intercom (POST /api/intercom/send, with the page's token).

const MAX_SECONDS = 30; // the runtime's limit (IntercomSender.MAX_SECONDS)
const STATUS_EVERY_MS = 2000;

export function startIntercom({ runtimeStatus, authorization, log }) {
  const $ = selector => document.querySelector(selector);
  const form = $("#intercom-form"), result = $("#intercom-result"), clients = $("#intercom-clients");
  const send = form.querySelector("button");

  form.addEventListener("submit", async event => {
    event.preventDefault();
    const seconds = Number(form.seconds.value);
    if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
      show(`seconds must be more than 0 and at most ${MAX_SECONDS}`, "error");
      return;
    }
    send.disabled = true;
    show(`recording ${seconds} s…`, "");
    try {
      const response = await fetch("/api/intercom/send", {
        method: "POST", headers: { ...authorization(), "Content-Type": "application/json" },
        body: JSON.stringify({ seconds })
      });
      const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
      if (!response.ok || !answer.ok) {
        show(answer.error ?? `HTTP ${response.status}`, "error");
        log("warn", `intercom: not sent: ${answer.error ?? response.status}`);
        return;
      }
      const to = answer.clients.length;
      show(`clip ${answer.clip}: ${(answer.bytes / 1024).toFixed(0)} KiB (${answer.seconds.toFixed(2)} s) sent to ${to} client${to === 1 ? "" : "s"}`
        + (answer.dropped.length ? `; dropped for ${answer.dropped.length} (queue full)` : ""), "ok");
    } catch (e) {
      show(`not sent: ${e.message}`, "error");
    } finally {
      send.disabled = false;
    }
  });

  function show(text, kind) {
    result.textContent = text;
    result.className = kind;
  }

  async function poll() {
    const status = await runtimeStatus();
    const intercom = status.intercom;
    if (!status.earshot) clients.textContent = "unknown (the status does not answer this page)";
    else if (!intercom) clients.textContent = "not installed";
    else if (!intercom.enabled) clients.textContent = "off (enabled=true in conf/io.earshot.intercom.cfg, or --intercom)";
    else if (!intercom.listening) clients.textContent = `not listening: ${intercom.error}`;
    else clients.textContent = `${intercom.connected} connected on port ${intercom.port}`;
    setTimeout(poll, STATUS_EVERY_MS);
  }
  poll();
}
