// Talk: hold the button (or the space bar) and the browser's microphone goes to Earshot as 16-bit
// PCM over /ws/ingest (one connection per talk), where it is saved as data/recordings/talk-*.wav
// and, with the hub on the browser source, heard by plugins and listeners. On release the page
// offers its own copy of what it sent as a WAV file.

const $ = selector => document.querySelector(selector);

export function startTalk({ wsUrl, log }) {
  const button = $("#talk-button"), status = $("#talk-status");
  let mic = null;   // {rate, context, stream, node}
  let talk = null;  // the talk in progress: {socket, rate, pending, copy, sent, released}

  const say = (text, kind = "") => { status.className = kind; status.textContent = text; };

  async function microphone(rate) {
    if (mic?.rate === rate) return mic;
    if (mic) { mic.stream.getTracks().forEach(t => t.stop()); await mic.context.close(); mic = null; }
    const context = new AudioContext({ sampleRate: rate });
    await context.audioWorklet.addModule("/app/talk-worklet.js");
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false }
    });
    const node = new AudioWorkletNode(context, "earshot-talk");
    context.createMediaStreamSource(stream).connect(node);
    node.connect(context.destination); // silent; a node that reaches no destination is not run
    node.port.onmessage = event => onChunk(event.data);
    await context.resume();
    mic = { rate, context, stream, node };
    return mic;
  }

  function onChunk(message) {
    const current = talk;
    if (!current) return;
    if (message.end) { current.ended = true; flush(current); return; }
    current.copy.push(message.samples);
    current.pending.push(message.samples);
    flush(current);
    const db = 20 * Math.log10(message.rms || 1e-9);
    $("#talk-level").value = Math.max(0, Math.min(60, db + 60));
  }

  /** Sends what waits once the socket is open; after the last chunk, closes it: the talk ends. */
  function flush(current) {
    if (current.socket.readyState !== WebSocket.OPEN) return;
    for (const samples of current.pending) {
      current.socket.send(samples);
      current.sent += samples.length;
    }
    current.pending = [];
    $("#talk-seconds").textContent = `${(current.sent / current.rate).toFixed(1)} s sent`;
    if (current.ended) { current.socket.close(1000, "done"); finish(current); }
  }

  async function press() {
    if (talk) return;
    const name = $("#talk-name").value.trim();
    if (!name) { say("type your name first", "error"); $("#talk-name").focus(); return; }
    const rate = Number($("#talk-rate").value);
    const current = { rate, pending: [], copy: [], sent: 0, ended: false, released: false, file: null };
    talk = current;
    button.classList.add("on");
    say("starting the microphone…");
    try {
      await microphone(rate);
    } catch (e) {
      talk = null;
      button.classList.remove("on");
      say(`no microphone: ${e.message ?? e}. The page must be opened as http://127.0.0.1 or localhost, or over https`, "error");
      log("error", `talk: no microphone: ${e}`);
      return;
    }
    current.socket = new WebSocket(wsUrl("/ws/ingest", { name, rate }));
    current.socket.binaryType = "arraybuffer";
    current.socket.onopen = () => flush(current);
    current.socket.onmessage = event => {
      const message = JSON.parse(event.data);
      if (message.type === "ready") {
        current.file = message.file;
        const heard = !message.heard ? ""
          : message.source_rate === message.rate ? "; heard in the browser source"
          : `; heard in the browser source, resampled to its ${message.source_rate} Hz`;
        say(`talking: saved as ${message.file}${heard}`, "ok");
      }
      if (message.type === "error") { say(message.error, "error"); log("warn", `talk refused: ${message.error}`); }
    };
    current.socket.onclose = event => {
      if (event.code !== 1000 && talk === current) {
        if (!status.classList.contains("error")) say(`the talk was closed (${event.code}${event.reason ? ": " + event.reason : ""})`, "error");
        release();
      }
    };
    mic.node.port.postMessage({ talking: true });
    if (current.released) release();
  }

  function release() {
    const current = talk;
    if (!current) return;
    current.released = true;
    if (!current.socket) return; // still starting: press() releases once the microphone is there
    mic.node.port.postMessage({ talking: false }); // the worklet posts what it holds, then {end}
    button.classList.remove("on");
    if (current.socket.readyState !== WebSocket.OPEN && current.socket.readyState !== WebSocket.CONNECTING) finish(current);
  }

  /** The page's own copy of what it sent, as a WAV file to download. */
  function finish(current) {
    if (talk !== current) return;
    talk = null;
    button.classList.remove("on");
    const frames = current.copy.reduce((n, c) => n + c.length, 0);
    const bytes = new DataView(new ArrayBuffer(44 + frames * 2));
    const text = (offset, s) => [...s].forEach((ch, i) => bytes.setUint8(offset + i, ch.charCodeAt(0)));
    text(0, "RIFF"); bytes.setUint32(4, 36 + frames * 2, true); text(8, "WAVE");
    text(12, "fmt "); bytes.setUint32(16, 16, true); bytes.setUint16(20, 1, true); bytes.setUint16(22, 1, true);
    bytes.setUint32(24, current.rate, true); bytes.setUint32(28, current.rate * 2, true); bytes.setUint16(32, 2, true);
    bytes.setUint16(34, 16, true); text(36, "data"); bytes.setUint32(40, frames * 2, true);
    let offset = 44;
    for (const chunk of current.copy) for (const s of chunk) { bytes.setInt16(offset, s, true); offset += 2; }
    const link = $("#talk-download");
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
    link.download = (current.file ?? "talk.wav").replace(/\.wav$/, "-browser-copy.wav");
    link.textContent = `this browser's copy: ${link.download} (${(frames / current.rate).toFixed(1)} s)`;
    link.hidden = false;
    $("#talk-level").value = 0;
    if (!status.classList.contains("error")) say(`${(current.sent / current.rate).toFixed(1)} s sent; the runtime saved it as ${current.file ?? "?"} (Recordings)`, "ok");
    log("info", `talk: ${(current.sent / current.rate).toFixed(1)} s sent as ${current.file}`);
  }

  button.addEventListener("pointerdown", event => { button.setPointerCapture(event.pointerId); press(); });
  button.addEventListener("pointerup", release);
  button.addEventListener("pointercancel", release);
  const typing = target => target.matches?.("input, select, textarea");
  const visible = () => !$("#view-talk").hidden;
  document.addEventListener("keydown", event => {
    if (event.code !== "Space" || !visible() || typing(event.target)) return;
    event.preventDefault();
    if (!event.repeat) press();
  });
  document.addEventListener("keyup", event => {
    if (event.code !== "Space" || !visible() || typing(event.target)) return;
    event.preventDefault();
    release();
  });
  const name = $("#talk-name");
  name.value = localStorage.getItem("earshot.talk.name") ?? "";
  name.addEventListener("change", () => localStorage.setItem("earshot.talk.name", name.value));
}
