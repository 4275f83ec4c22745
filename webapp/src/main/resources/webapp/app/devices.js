// The Devices view: playback devices connected over gRPC (/api/devices): each one's online
// state, its LED ring drawn as the runtime last sent it, its queue and transport (play, pause,
// stop, next), its LED mode; clips uploaded for devices. Changes need the token.

const CLIP = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,79}$/;
/** How often the devices are asked for while the view is shown: the rings follow the level meter. */
const REFRESH_MS = 250;

const $ = selector => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** The ring: LED 0 at the right (the array's 0 degrees), counter-clockwise, as the devices have it. */
function ring(frame) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "-50 -50 100 100");
  svg.setAttribute("class", "led-ring");
  frame.forEach((colour, i) => {
    const angle = 2 * Math.PI * i / frame.length;
    const dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    dot.setAttribute("cx", (38 * Math.cos(angle)).toFixed(1));
    dot.setAttribute("cy", (-38 * Math.sin(angle)).toFixed(1));
    dot.setAttribute("r", "6");
    dot.setAttribute("fill", colour === "#000000" ? "#333" : colour);
    svg.append(dot);
  });
  return svg;
}

export function startDevices({ authorization, log }) {
  const view = $("#view-devices");
  let refreshing = false;

  async function call(method, path, body, type = "application/json") {
    const headers = authorization();
    if (body !== undefined) headers["Content-Type"] = type;
    const response = await fetch(`/api/devices${path}`, { method, headers, body: body === undefined || type !== "application/json" ? body : JSON.stringify(body) });
    let answer;
    try { answer = await response.json(); } catch (e) { answer = { error: `HTTP ${response.status}` }; }
    if (!response.ok) log("error", `devices ${path}: ${answer.error ?? response.status}`);
    return response.ok ? answer : null;
  }

  function deviceCard(device, clips) {
    const t = device.transport;
    const act = what => () => call("POST", `/${encodeURIComponent(device.id)}/${what}`).then(refresh);
    const clip = element("select", { "aria-label": "clip" }, ...clips.map(c => element("option", { value: c.name }, `${c.name} (${c.kind}, ${c.seconds.toFixed(1)} s)`)));
    const mode = element("select", { "aria-label": "LED mode", onchange: () => call("POST", `/${encodeURIComponent(device.id)}/led`, { mode: mode.value }).then(refresh) },
      ...["level", "direction", "off"].map(m => element("option", { value: m }, m)));
    mode.value = device.led_mode;
    return element("div", { class: "card device", "data-device": device.id },
      element("h2", {}, element("span", { class: device.online ? "online" : "offline" }, device.online ? "● " : "○ "), device.id,
        element("span", { class: "hint" }, device.online ? " online" : ` offline since ${device.last_seen}`)),
      ring(device.led_frame),
      element("p", {}, `${t.state}${t.clip ? ` ${t.clip} ${t.position_s.toFixed(1)} / ${t.length_s.toFixed(1)} s` : ""}`,
        t.listening ? "" : element("span", { class: "hint" }, " (no Audio call open: the position holds)")),
      element("p", { class: "hint" }, `queue: ${t.queue.length ? t.queue.join(", ") : "empty"}${t.error ? ` · ${t.error}` : ""}`),
      element("div", { class: "inline-form" },
        element("button", { onclick: act("play") }, "Play"), element("button", { onclick: act("pause") }, "Pause"),
        element("button", { onclick: act("stop") }, "Stop"), element("button", { onclick: act("next") }, "Next")),
      element("div", { class: "inline-form" }, clip,
        element("button", { onclick: () => call("POST", `/${encodeURIComponent(device.id)}/play`, { clip: clip.value }).then(refresh) }, "Queue"),
        element("label", {}, "LEDs ", mode)));
  }

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const response = await fetch("/api/devices", { headers: authorization() });
      const status = await response.json();
      const list = $("#devices-list");
      if (!response.ok || !status.enabled || status.error) {
        $("#devices-problem").textContent = status.error
          ?? (status.enabled === false ? "Devices are off: enabled=true in conf/io.earshot.devices.cfg, or start with --devices." : `HTTP ${response.status}`);
        $("#devices-problem").hidden = false;
        list.replaceChildren();
        return;
      }
      $("#devices-problem").hidden = true;
      $("#devices-port").textContent = `gRPC on ${status.host}:${status.port}${status.tls ? " (TLS)" : ""}, ${status.online} online, ${status.refused} refused`;
      // keep a card whose select is in use, so a refresh does not close it under the user's pointer
      const focused = document.activeElement?.closest?.(".device")?.dataset.device;
      const cards = status.devices.map(d => d.id === focused ? list.querySelector(`[data-device="${CSS.escape(d.id)}"]`) ?? deviceCard(d, status.clips) : deviceCard(d, status.clips));
      list.replaceChildren(...cards);
      $("#devices-empty").hidden = status.devices.length > 0;
    } catch (e) {
      // the runtime is restarting: the next turn asks again
    } finally {
      refreshing = false;
    }
  }

  $("#device-clip-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    const file = form.file.files[0];
    const name = (form.name.value.trim() || (file?.name ?? "").replace(/\.wav$/i, ""));
    if (!file) { log("error", "choose a WAV file to upload"); return; }
    if (!CLIP.test(name)) { log("error", `a clip's name is 1 to 80 of A-Z a-z 0-9 . _ - (not starting with . or -), not '${name}'`); return; }
    const answer = await call("POST", `/clips/${encodeURIComponent(name)}`, file, "audio/wav");
    if (answer) log("info", `clip ${answer.name} uploaded: ${answer.seconds.toFixed(1)} s`);
    refresh();
  });

  setInterval(() => { if (!view.hidden) refresh(); }, REFRESH_MS);
}
