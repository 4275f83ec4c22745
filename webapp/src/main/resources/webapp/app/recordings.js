// The Recordings view: recordings the runtime writes to its disk (/api/recordings): start one,
// stop it, watch it grow, play a file in the page over the range download, download, delete.
// Also the Stream tab's "Record on the runtime" button, which starts and stops one from there.

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const NAME_RULE = "1 to 64 of letters a-z A-Z, digits, '-' and '_', starting with a letter or digit";
const PART_SUFFIX = /-\d{3}$/;
/** How often the list is asked for while it is shown or a recording started here runs. */
const REFRESH_MS = 1000;
/** A Delete click arms the button for this long; a second click deletes. */
const CONFIRM_MS = 3000;

const $ = selector => document.querySelector(selector);

const size = bytes => bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB`
  : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
const duration = seconds => {
  const s = Math.floor(seconds);
  const clock = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${clock.padStart(5, "0")}` : `${clock}.${Math.floor((seconds - s) * 10)}`;
};

/** A file's address, with the token in the query: an audio element cannot send a header. */
function fileUrl(url, token) {
  const address = new URL(url, location.href);
  if (token) address.searchParams.set("token", token);
  return address.href;
}

/** Why a name typed by the user cannot be a recording's name, or null (an empty one: the runtime picks). */
function nameProblem(name) {
  if (name === "") return null;
  if (!NAME.test(name)) return `a recording's name is ${NAME_RULE}`;
  if (PART_SUFFIX.test(name)) return "a name cannot end in '-' and three digits: those name a recording's later parts";
  return null;
}

export function startRecordings({ token, authorization, log, select }) {
  let fromStream = null;      // the recording the Stream tab's button started, while it runs
  let playing = null;         // the file the player plays
  let refreshing = false;
  let armedDelete = null;     // {name, until}: a Delete clicked once, waiting for its confirming click

  async function call(method, path, body) {
    const headers = authorization();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`/api/recordings${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let answer;
    try { answer = await response.json(); } catch (e) { answer = { error: `HTTP ${response.status}` }; }
    return { ok: response.ok, status: response.status, answer };
  }

  async function start(name, seconds) {
    const body = {};
    if (name) body.name = name;
    if (seconds !== null) body.seconds = seconds;
    const { ok, answer } = await call("POST", "", body);
    if (!ok) throw new Error(answer.error ?? "refused");
    log("info", `recording ${answer.name} on the runtime${seconds === null ? " until stopped" : ` for ${seconds} s`}`);
    return answer;
  }

  async function stop(name) {
    const { ok, answer } = await call("POST", `/${encodeURIComponent(name)}/stop`);
    if (!ok) { log("error", `stop ${name}: ${answer.error}`); return null; }
    log("info", `recording ${name} stopped: ${duration(answer.seconds)}, ${size(answer.bytes)}`);
    return answer;
  }

  // ---------- the form ----------
  const form = $("#recording-form");
  const result = $("#recording-result");
  const say = (text, kind = "") => { result.textContent = text; result.className = kind; };
  form.name.addEventListener("input", () => {
    const problem = nameProblem(form.name.value.trim());
    form.name.setCustomValidity(problem ?? "");
    if (problem) say(problem, "error"); else if (result.classList.contains("error")) say("");
  });
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const name = form.name.value.trim();
    const problem = nameProblem(name);
    if (problem) { say(problem, "error"); return; }
    const text = form.seconds.value.trim();
    const seconds = text === "" ? null : Number(text);
    if (seconds !== null && !(seconds > 0)) { say("seconds: more than 0, or empty for a recording that runs until stopped", "error"); return; }
    try {
      const recording = await start(name, seconds);
      say(`recording ${recording.name}`, "ok");
      form.name.value = "";
    } catch (e) {
      say(e.message, "error");
    }
    refresh();
  });

  // ---------- the list ----------
  const player = $("#recording-player");
  player.addEventListener("ended", () => { playing = null; markPlaying(); });

  function markPlaying() {
    for (const button of document.querySelectorAll("#recordings button.play")) {
      const on = button.dataset.file === playing;
      button.textContent = on ? "Pause" : "Play";
      button.setAttribute("aria-pressed", on);
    }
    $("#recording-now-playing").textContent = playing ? `playing ${playing}` : "";
    player.hidden = playing === null && !player.src;
  }

  function play(file) {
    if (playing === file.file) { player.pause(); playing = null; markPlaying(); return; }
    player.src = fileUrl(file.url, token);
    playing = file.file;
    player.play().catch(e => log("warn", `cannot play ${file.file} here: ${e.message}`));
    markPlaying();
  }

  function fileCell(recording) {
    const cell = document.createElement("td");
    for (const file of recording.files) {
      const line = document.createElement("div");
      line.className = "recording-file";
      const playButton = document.createElement("button");
      playButton.type = "button";
      playButton.className = "play";
      playButton.dataset.file = file.file;
      playButton.onclick = () => play(file);
      const link = document.createElement("a");
      link.href = fileUrl(file.url, token);
      link.download = file.file;
      link.textContent = file.file;
      link.title = `download ${file.file} (${size(file.bytes)}, ${file.rate} Hz, ${file.channels} ch)`;
      line.append(playButton, " ", link);
      cell.append(line);
    }
    const sidecar = document.createElement("a");
    sidecar.href = fileUrl(recording.sidecar, token);
    sidecar.target = "_blank";
    sidecar.rel = "noopener";
    sidecar.className = "sidecar";
    sidecar.textContent = "sidecar (JSON)";
    sidecar.title = "the recording's config, capture time of its first frame, sequences and gaps";
    cell.append(sidecar);
    return cell;
  }

  function actionCell(recording) {
    const cell = document.createElement("td");
    if (recording.state === "recording") {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Stop";
      button.onclick = async () => { button.disabled = true; await stop(recording.name); refresh(); };
      cell.append(button);
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "delete";
      // the list is drawn anew each second: which Delete waits for its second click outlives a row
      const isArmed = () => armedDelete?.name === recording.name && armedDelete.until > Date.now();
      button.textContent = isArmed() ? "Delete for good?" : "Delete";
      button.onclick = async () => {
        if (!isArmed()) {
          armedDelete = { name: recording.name, until: Date.now() + CONFIRM_MS };
          button.textContent = "Delete for good?";
          setTimeout(() => {
            if (!isArmed()) for (const b of document.querySelectorAll(`#recordings tr[data-recording="${CSS.escape(recording.name)}"] button.delete`)) b.textContent = "Delete";
          }, CONFIRM_MS + 50);
          return;
        }
        armedDelete = null;
        button.disabled = true;
        if (recording.files.some(f => f.file === playing)) { player.pause(); player.removeAttribute("src"); playing = null; }
        const { ok, answer } = await call("DELETE", `/${encodeURIComponent(recording.name)}`);
        if (ok) log("info", `deleted ${answer.deleted.join(", ")}`); else log("error", `delete ${recording.name}: ${answer.error}`);
        refresh();
      };
      cell.append(button);
    }
    return cell;
  }

  function row(recording) {
    const tr = document.createElement("tr");
    tr.dataset.recording = recording.name;
    tr.className = `state-${recording.state.replace(/\W+/g, "-")}`;
    const format = recording.format ? `${recording.format.rate} Hz · ${recording.format.channels} ch` : "–";
    const state = recording.state === "recording" && recording.requested_seconds
      ? `recording (of ${duration(recording.requested_seconds)})` : recording.state;
    const gaps = recording.gaps ? `${recording.gaps} (${recording.lost_buffers} buffers, as silence)` : "none";
    const cells = [recording.name, state, duration(recording.seconds), size(recording.bytes), format, gaps];
    cells.forEach((value, i) => {
      const cell = tr.insertCell();
      cell.textContent = value;
      if (i === 2 || i === 3) cell.className = `number ${i === 2 ? "seconds" : "bytes"}`;
    });
    if (recording.error) tr.cells[1].append(Object.assign(document.createElement("div"), { className: "error", textContent: recording.error }));
    tr.append(fileCell(recording), actionCell(recording));
    return tr;
  }

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const { ok, answer } = await call("GET", "");
      if (!ok) { $("#recordings-problem").textContent = answer.error; $("#recordings-problem").hidden = false; return; }
      $("#recordings-problem").hidden = true;
      const list = answer.recordings;
      $("#recordings tbody").replaceChildren(...list.map(row));
      $("#recordings-empty").hidden = list.length > 0;
      $("#recordings-more").hidden = !answer.not_listed;
      $("#recordings-more").textContent = `${answer.not_listed} more are in the folder, beyond the ${list.length} listed.`;
      const limits = answer.limits;
      $("#recordings-limits").textContent = limits ? `At most ${limits.recordings_at_once} at once;`
        + ` past ${size(limits.part_bytes)} a recording goes on in a next file (NAME-002.wav, …);`
        + ` recordings stop when the disk has less than ${size(limits.min_free_bytes)} free.`
        + " A lost buffer is written as silence and listed in the sidecar." : "";
      markPlaying();
      if (fromStream) showFromStream(list.find(r => r.name === fromStream));
    } catch (e) {
      /* the runtime restarts: the next refresh tells */
    } finally {
      refreshing = false;
    }
  }

  // ---------- the Stream tab's button ----------
  const streamButton = $("#record-runtime");
  const streamStatus = $("#record-runtime-status");
  function showFromStream(recording) {
    if (!recording || recording.state !== "recording") {
      streamButton.textContent = "Record on the runtime";
      streamStatus.textContent = recording
        ? `${recording.name}: ${recording.state}, ${duration(recording.seconds)}, ${size(recording.bytes)}${recording.error ? ` (${recording.error})` : ""}`
        : "";
      fromStream = null;
      return;
    }
    streamButton.textContent = `Stop runtime recording (${duration(recording.seconds)} · ${size(recording.bytes)})`;
    streamStatus.textContent = `${recording.name}, on the runtime's disk`;
  }
  streamButton.addEventListener("click", async () => {
    streamButton.disabled = true;
    try {
      if (fromStream) {
        showFromStream(await stop(fromStream));
      } else {
        const recording = await start(null, null);
        fromStream = recording.name;
        showFromStream(recording);
      }
    } catch (e) {
      streamStatus.textContent = e.message;
      log("error", `record on the runtime: ${e.message}`);
    } finally {
      streamButton.disabled = false;
    }
  });
  $("#record-runtime-open").addEventListener("click", event => { event.preventDefault(); select("recordings"); refresh(); });

  setInterval(() => { if (!$("#view-recordings").hidden || fromStream) refresh(); }, REFRESH_MS);
  $("#tabs").addEventListener("click", event => { if (event.target.closest("[data-view=recordings]")) refresh(); });
}
