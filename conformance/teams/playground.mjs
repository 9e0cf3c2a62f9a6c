// playground.mjs: zoombridge's Teams bot driven through Microsoft's own Teams emulator,
// @microsoft/m365agentsplayground (offline: TEAMSAPPTESTER_BROWSER=none, --disable-telemetry).
//
// It starts the emulator, then zoombridge against the Zoom emulator (fixture/main.go: people and
// Zoom users are the Teams emulator's users; inbound auth is off because the Teams emulator sends
// no JWT), and in the emulator's group chat checks that
//   - a message without the @mention does nothing;
//   - an @mention "schedule" creates a Zoom meeting with every member's email invited, the meeting
//     card reaches the chat and every member gets a direct message;
//   - "upcoming" and "share <id>" answer with the meeting;
//   - when the Zoom emulator sends recording.completed for a meeting scheduled from the chat, the host gets a
//     recording-ready direct message within a minute (this needs the recordings feature, which
//     publishes artifact.created; in a build without it the step is reported as skipped, loudly).
// Exit code 0 only if every check passes. See conformance/teams/README.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const children = [];
const results = [];
const skipped = [];
const log = (...a) => console.log(...a);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

async function until(what, fn, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function check(name, ok, detail = "") {
  results.push({ name, ok });
  log(`${ok ? "PASS" : "FAIL"}  ${name}${ok || !detail ? "" : "\n      " + detail}`);
}

function start(cmd, args, opts) {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], ...opts });
  children.push(child);
  child.stderr.on("data", (d) => process.env.TEAMS_CONFORMANCE_VERBOSE && process.stderr.write(d));
  return child;
}

// cardCode finds the code an Adaptive Card carries in its title block's id ("code-meeting").
const cardCode = (v) => (JSON.stringify(v ?? null).match(/"id":"code-([a-z_]+)"/) || [])[1];

async function main() {
  const pgPort = await freePort();
  const botPort = await freePort();
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-"));
  const cli = path.join(here, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
  start(process.execPath, [cli, "start", "-e", `http://127.0.0.1:${botPort}/chat/teams/messages`, "-c", "msteams",
    "-p", String(pgPort), "--disable-telemetry"], { cwd: pgDir, env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none" } });
  const pg = `http://127.0.0.1:${pgPort}`;
  const cfg = await until("the Teams emulator", async () => (await (await fetch(pg + "/_internal/v1/config")).json()).config, 60_000);
  const everyone = [cfg.currentUser, ...cfg.users];
  const group = cfg.groupChats[0];
  log(`Teams emulator on ${pg}: tenant ${cfg.tenantId}, bot ${cfg.bot.id}, group chat "${group.name}"`);

  const fixture = start("go", ["run", "./conformance/teams/fixture", "-addr", `127.0.0.1:${botPort}`,
    "-users", everyone.map((u) => `${u.name}=${u.email}`).join(","), "-phone", cfg.currentUser.email,
    "-tenant", cfg.tenantId, "-app-id", cfg.bot.id], { cwd: repoRoot });
  const ready = await until("zoombridge", () => new Promise((resolve) => {
    let buf = "";
    fixture.stdout.on("data", (d) => { buf += d; const line = buf.split("\n").find((l) => l.startsWith("{")); if (line) resolve(JSON.parse(line)); });
    fixture.on("exit", (code) => resolve(Promise.reject(new Error("fixture exited " + code))));
  }), 300_000);
  const sim = ready.sim;
  log(`zoombridge bot at ${ready.bot}, Zoom emulator at ${sim}`);

  // What the emulator shows in its chats, and every request the bot made to its connector.
  const chatEvents = [];
  const connectorLog = [];
  const chatWs = new WebSocket(`ws://127.0.0.1:${pgPort}/_ws_conversation/v1/conversations/stream`);
  chatWs.onmessage = (m) => chatEvents.push(JSON.parse(String(m.data)));
  const logWs = new WebSocket(`ws://127.0.0.1:${pgPort}/_ws/log/stream`);
  logWs.onmessage = (m) => { const e = JSON.parse(String(m.data)); if (e.log && e.log.from === "User Application") connectorLog.push(e.log); };
  await Promise.all([chatWs, logWs].map((ws) => new Promise((r, j) => { ws.onopen = r; ws.onerror = j; })));

  const say = async (text, mention) => {
    const body = { from: { id: cfg.currentUser.id }, text: mention ? `<at>${cfg.bot.name}</at> ${text}` : text, textFormat: "plain" };
    if (mention) body.mentions = [{ mentioned: { id: cfg.bot.id }, text: `<at>${cfg.bot.name}</at>` }];
    const r = await fetch(`${pg}/_conversation/v1/conversations/${group.id}/messages`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`sending "${text}": ${r.status} ${await r.text()}`);
  };
  const botCardsInGroup = () => chatEvents.filter((e) => e.action === "createMessage" && e.actionConversationId === group.id &&
    e.message?.from?.id === cfg.bot.id).map((e) => ({ code: cardCode(e.message), text: JSON.stringify(e.message) }));
  const apiMeetings = async () => (await fetch(sim + "/_sim/meetings/api")).json();

  // 1. Without the @mention: nothing.
  await say("schedule Quiet hour", false);
  await new Promise((r) => setTimeout(r, 3000));
  check("a message without the @mention gets no answer", botCardsInGroup().length === 0, JSON.stringify(botCardsInGroup()));
  check("a message without the @mention creates no meeting", !(await apiMeetings()).some((m) => m.topic === "Quiet hour"));

  // 2. @mention schedule.
  await say("schedule Team sync", true);
  const card = await until("the meeting card in the group chat", () => botCardsInGroup().find((c) => c.code === "meeting"), 30_000).catch(() => null);
  check("the meeting card reaches the group chat", !!card && card.text.includes("Team sync") && card.text.includes("Join"), JSON.stringify(botCardsInGroup()));
  const meeting = (await apiMeetings()).find((m) => m.topic === "Team sync");
  const want = everyone.map((u) => u.email.toLowerCase()).sort();
  const got = (meeting?.invitees ?? []).map((e) => e.toLowerCase()).sort();
  check("a Zoom meeting is created in the Zoom emulator", !!meeting);
  check("every member's email is invited", JSON.stringify(got) === JSON.stringify(want), `invited ${got}, members ${want}`);
  for (const u of everyone) {
    const dm = await until(`a direct message to ${u.name}`, () => connectorLog.find((l) => l.activityName === "message" &&
      l.request?.body?.recipient?.id === u.id && ["invited", "scheduled"].includes(cardCode(l.request.body))), 15_000).catch(() => null);
    const opened = connectorLog.find((l) => l.activityName === "createConversation" && l.request?.body?.members?.[0]?.id === u.id);
    const convOk = dm && opened && dm.request.body.conversation?.id === opened.response?.body?.id;
    const expect = u.id === cfg.currentUser.id ? "scheduled" : "invited";
    check(`${u.name} gets a direct message (${expect})`, !!convOk && cardCode(dm.request.body) === expect && JSON.stringify(dm.request.body).includes("Team sync"),
      JSON.stringify({ dm: dm?.request?.body?.conversation, opened: opened?.response?.body }));
  }
  const selfDm = chatEvents.find((e) => e.action === "createMessage" && e.actionConversationId !== group.id && cardCode(e.message) === "scheduled");
  check("the organizer's direct message shows in the emulator's personal chat", !!selfDm);

  // 3. upcoming and share.
  const before = botCardsInGroup().length;
  await say("upcoming", true);
  const up = await until("the upcoming card", () => botCardsInGroup().slice(before).find((c) => c.code === "upcoming"), 30_000).catch(() => null);
  check("upcoming lists the meeting", !!up && up.text.includes("Team sync"), JSON.stringify(botCardsInGroup().slice(before)));
  const before2 = botCardsInGroup().length;
  await say(`share ${meeting?.id}`, true);
  const sh = await until("the shared meeting card", () => botCardsInGroup().slice(before2).find((c) => c.code === "meeting"), 30_000).catch(() => null);
  check("share posts the meeting's card", !!sh && sh.text.includes("Team sync") && sh.text.includes(String(meeting?.id)), JSON.stringify(botCardsInGroup().slice(before2)));

  // 4. Recording ready: a meeting scheduled from the chat ten minutes ahead, recorded to the cloud,
  // runs in the Zoom emulator; the host's message is timed from the moment the emulator delivered
  // recording.completed to zoombridge.
  await say("schedule Recorded review in 10m for 15m", true);
  const recorded = await until("the recorded meeting", async () => (await apiMeetings()).find((m) => m.topic === "Recorded review"), 30_000).catch(() => null);
  check("a second meeting is scheduled ten minutes ahead", !!recorded);
  if (recorded) await recordingReady(sim, recorded, connectorLog, cfg.currentUser, ready.outbox);
}

async function recordingReady(sim, meeting, connectorLog, host, outbox) {
  const info = await (await fetch(sim + "/_sim/info")).json();
  const basic = Buffer.from(`${info.s2s_client_id}:${info.s2s_client_secret}`).toString("base64");
  const tok = await (await fetch(`${sim}/oauth/token?grant_type=account_credentials&account_id=${encodeURIComponent(info.account_id)}`, {
    method: "POST", headers: { authorization: `Basic ${basic}` } })).json();
  const patched = await fetch(`${sim}/v2/meetings/${meeting.id}`, { method: "PATCH",
    headers: { authorization: `Bearer ${tok.access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ settings: { auto_recording: "cloud" } }) });
  if (patched.status !== 204) throw new Error(`PATCH meeting: ${patched.status} ${await patched.text()}`);
  let delivered;
  for (let i = 0; i < 24 && !delivered; i++) { // up to 2 sim hours, 5 minutes at a time
    await fetch(`${sim}/_sim/advance?minutes=5`, { method: "POST" });
    const hooks = await (await fetch(`${sim}/_sim/webhook/log`)).json();
    delivered = hooks.find((d) => d.event === "recording.completed" && d.status === 200 && d.body.includes(`"id":${meeting.id}`));
  }
  check("the Zoom emulator delivers recording.completed for the meeting", !!delivered);
  if (!delivered) return;
  const t0 = Date.now();
  const dm = await until("the recording-ready message", () => connectorLog.find((l) => l.activityName === "message" &&
    l.request?.body?.recipient?.id === host.id && cardCode(l.request.body) === "recording_ready"), 60_000).catch(() => null);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (!dm && !(await (await fetch(outbox)).json()).includes("artifact.created")) {
    // Not the bot's failure: nothing announced a recording. Said loudly, counted neither way.
    skipped.push("recording-ready message: this build has no recordings feature (issue 13) publishing artifact.created");
    log("SKIP  the host gets a recording-ready message: no artifact.created was published (the recordings feature is not in this build)");
    return;
  }
  check(`the host gets a recording-ready message within a minute of recording.completed (${dm ? secs + " s" : "none in 60 s"})`,
    !!dm && JSON.stringify(dm.request.body).includes("Recorded review"));
}

let crashed = false;
try {
  await main();
} catch (e) {
  crashed = true;
  console.error("teams conformance crashed:", e);
}
for (const c of children) c.kill();
const failed = results.filter((r) => !r.ok).length;
for (const s of skipped) console.log(`!!! SKIPPED: ${s}`);
console.log(`\nteams: ${results.length - failed} passed, ${failed} failed${skipped.length ? `, ${skipped.length} skipped` : ""}`);
process.exit(crashed ? 2 : failed ? 1 : 0);
