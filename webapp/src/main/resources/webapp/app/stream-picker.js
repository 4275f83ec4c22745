// The header's stream picker: the streams running (/api/status streams, main first), shown only
// when there is more than main. Choosing one makes the Stream tab and the header follow it
// (page.js chooseStream). A stream that goes away while shown gives way to main, said in the
// notice under the header; one asked for by the address gets a while to start first (its
// configuration may be read after main runs).

import { $, MAIN, shownStream, chooseStream, onStreamChange, log } from "./page.js";

/** How long a stream never seen since the page opened may be missing before main is shown instead. */
const START_GRACE_MS = 10000;

const picker = $("#stream-picker"), select = $("#stream-select"), notice = $("#stream-notice");
const opened = Date.now();
let running = null;   // the ids of the running streams in the last status, or null before one came
let seen = false;     // whether the stream shown was ever running since the page opened or it was chosen
let lastStreams = {}; // the status' streams, refused configurations included

select.addEventListener("change", () => {
  notice.hidden = true;
  chooseStream(select.value);
  log("info", `showing stream ${select.value}`);
});
onStreamChange(id => { seen = running?.includes(id) ?? false; fill(lastStreams); });

/** Whether the status says the stream is running (or, before a status came, may be). */
export const streamRunning = id => running === null || running.includes(id);

function fill(streams) {
  const ids = Object.keys(streams).filter(id => !streams[id].refused);
  const refused = Object.values(streams).filter(s => s.refused);
  picker.hidden = ids.length < 2;
  // drawn anew only when something changed: an open list is not pulled from under the user
  const drawn = JSON.stringify([ids, refused, shownStream()]);
  if (drawn === select.dataset.drawn) return;
  select.dataset.drawn = drawn;
  const options = ids.map(id => new Option(id, id, false, id === shownStream()));
  for (const r of refused) {
    const option = new Option(`${r.id} (refused)`, "", false, false);
    option.disabled = true;
    option.title = r.refused;
    options.push(option);
  }
  select.replaceChildren(...options);
}

/** The streams of a status of the runtime (from the Stream tab's poll): the list, and main for a stream gone. */
export function showStreams(status) {
  const streams = status.streams;
  if (!streams || typeof streams !== "object" || !streams[MAIN]) return; // the hub is not up (yet)
  lastStreams = streams;
  running = Object.keys(streams).filter(id => !streams[id].refused);
  fill(streams);
  const id = shownStream();
  if (running.includes(id)) { seen = true; return; }
  if (id === MAIN) return;
  const refusal = Object.values(streams).find(s => s.refused && s.id === id);
  if (!seen && !refusal && Date.now() - opened < START_GRACE_MS) return;
  const why = refusal ? `its configuration was refused: ${refusal.refused}`
    : seen ? "it went away (its configuration was removed or changed)" : "the runtime has no stream of that id";
  notice.textContent = `Stream ${id} is not running: ${why}. Showing ${MAIN}.`;
  notice.hidden = false;
  log("warn", notice.textContent);
  chooseStream(MAIN);
}
