// The Earshot webapp: the stream (stream.js; its source switch: source-switch.js; its Intercom
// card: intercom.js; which stream, with more than main: the header's picker, stream-picker.js), Talk (talk.js), one tab per handler created by plugins (dashboard.js), the
// recordings on the runtime's disk (recordings.js), the script editor (editor.js), the plugins
// (plugins.js), the devices (devices.js) and the console (page.js). This module starts them
// and tells a page without the runtime's token what it can and cannot do.

import { $, token, wsUrl, authorization, runtimeStatus, log, select } from "./page.js";
import { startStream } from "./stream.js";
import { connectDashboard } from "./dashboard.js";
import "./plugins.js";
import { startEditor } from "./editor.js";
import { startRecordings } from "./recordings.js";
import { startIntercom } from "./intercom.js";
import { startTalk } from "./talk.js";
import { startSourceSwitch } from "./source-switch.js";
import { startDevices } from "./devices.js";

window.addEventListener("error", event => log("error", `${event.message}`));
window.addEventListener("unhandledrejection", event => log("error", `${event.reason}`));

/**
 * Whether this page holds the runtime's token. Without it the runtime refuses the dashboard (its
 * console may hold what a token holder printed) and every change, and a browser cannot see why a
 * socket was refused: so ask, and say it once instead of retrying for ever.
 */
async function checkAccess() {
  try {
    const response = await fetch("/api/access", { headers: authorization() });
    if (!response.ok) { setTimeout(checkAccess, 1000); return; }
    const access = await response.json();
    if (access.token) { connectDashboard(); return; }
    const notice = $("#access-notice");
    notice.textContent = (token ? "This page's access token is not the runtime's (it changed, or was mistyped)." : "This page has no access token.")
      + " Open the address Earshot printed when it started (http://…/?token=…; the token is also in the runtime's data/token)."
      + (access.open_reads ? " Until then it shows the stream; plugins' charts, the console and every change need the token." : "");
    notice.hidden = false;
    log("warn", notice.textContent);
  } catch (e) {
    setTimeout(checkAccess, 1000); // the runtime is starting
  }
}

startStream();
checkAccess();
startEditor({ wsUrl, runtimeStatus, authorization, log });
startRecordings({ token, authorization, log, select });
startIntercom({ runtimeStatus, authorization, log });
startTalk({ wsUrl, log });
startSourceSwitch({ authorization, log });
startDevices({ authorization, log });
