// zoomsim conformance suite: see conformance/README.md.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildBinary, startSim, type Sim } from "./emulator.js";
import { s2sClients, userOAuthClient, MemoryStore, WebhookSink, setOAuthHost, type Creds } from "./rivet.js";
import type { S2SAuthToken, OAuthToken } from "@zoom/rivet/meetings";
import { checkShapes, signature, type Sample } from "./shapes.js";
import { Table, renderTable, renderMismatches } from "./report.js";
import { bookingRows } from "./booking.js";
import { http, basic, short, isObj, ymd, hmacHex, sleep, type HttpResult } from "./util.js";
import { recordingsPhase } from "./recordings.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const confDir = path.resolve(here, "..");
const repoRoot = path.resolve(confDir, "..");
const outDir = path.join(confDir, ".out");

// ---------------------------------------------------------------------------------------------
// What is covered. REST rows: (a) type-check of the raw response, (b) the same call through Rivet.
// Event rows: (a) type-check of every delivered body, (c) delivered to Rivet's HttpReceiver and
// handed, verified, to the product's Rivet event processor.
const REQUIRED_EVENTS: { event: string; module: string; typeName: string; triggered?: boolean }[] = [
  { event: "endpoint.url_validation", module: "./local-types.js", typeName: "UrlValidationEvent" },
  { event: "meeting.started", module: "@zoom/rivet/meetings", typeName: "MeetingStartedEvent" },
  { event: "meeting.ended", module: "@zoom/rivet/meetings", typeName: "MeetingEndedEvent" },
  { event: "webinar.ended", module: "@zoom/rivet/meetings", typeName: "WebinarEndedEvent" },
  { event: "recording.completed", module: "@zoom/rivet/meetings", typeName: "RecordingCompletedEvent" },
  { event: "recording.transcript_completed", module: "@zoom/rivet/meetings", typeName: "RecordingTranscriptCompletedEvent" },
  { event: "meeting.summary_completed", module: "@zoom/rivet/meetings", typeName: "MeetingSummaryCompletedEvent" },
  { event: "phone.caller_ended", module: "@zoom/rivet/phone", typeName: "PhoneCallerEndedEvent" },
  { event: "phone.callee_ended", module: "@zoom/rivet/phone", typeName: "PhoneCalleeEndedEvent" },
  { event: "user.created", module: "@zoom/rivet/users", typeName: "UserCreatedEvent" },
  { event: "user.updated", module: "@zoom/rivet/users", typeName: "UserUpdatedEvent" },
  { event: "user.deactivated", module: "@zoom/rivet/users", typeName: "UserDeactivatedEvent" },
  { event: "user.deleted", module: "@zoom/rivet/users", typeName: "UserDeletedEvent" },
  { event: "app_deauthorized", module: "@zoom/rivet/marketplace", typeName: "AppDeauthorizedEvent" },
  // The chat bot's Phone data: sent when the REST phase asks the emulator for a new voicemail and SMS.
  { event: "phone.voicemail_received", module: "@zoom/rivet/phone", typeName: "PhoneVoicemailReceivedEvent", triggered: true },
  { event: "phone.sms_received", module: "@zoom/rivet/phone", typeName: "PhoneSmsReceivedEvent", triggered: true },
];
const ACTIVITY_EVENTS = REQUIRED_EVENTS.filter((e) => !e.triggered).map((e) => e.event).filter(
  (e) => /^(meeting|webinar|recording|phone)\./.test(e),
);
const MAX_SAMPLES_PER_ROW = 60;
const MAX_ADVANCE_DAYS = 14;

const cfg = {
  seed: Number(process.env.ZOOMSIM_SEED ?? 7),
  users: Number(process.env.ZOOMSIM_USERS ?? 12),
  plan: (process.env.ZOOMSIM_PLAN ?? "business") as "basic" | "pro" | "business",
  clientId: "conformanceClientId",
  clientSecret: "conformanceClientSecret0123456789",
  accountId: "conformanceAccount",
  webhookSecret: "conformanceWebhookSecret",
};

const table = new Table();
const samples: Sample[] = [];
const sampleCount = new Map<string, number>();
const sampleSigs = new Set<string>();
const captured = new Map<string, number>(); // bodies captured per row (before de-duplication)
function addSample(row: string, label: string, module: string, typeName: string, value: unknown) {
  captured.set(row, (captured.get(row) ?? 0) + 1);
  // Bodies with the same shape signature get the same verdict: compile one of each.
  const sig = row + "\u0000" + typeName + "\u0000" + signature(value);
  if (sampleSigs.has(sig)) return;
  const n = sampleCount.get(row) ?? 0;
  if (n >= MAX_SAMPLES_PER_ROW) return;
  sampleSigs.add(sig);
  sampleCount.set(row, n + 1);
  samples.push({ row, label, module, typeName, value });
}
const notes: string[] = []; // advisory findings that Rivet does not enforce
const missing: string[] = [];
let subscribedUrl: string | undefined; // the emulator's webhook URL after start (GET /_sim/info) // Zoom APIs the emulator lacks (the suite fell back to /_sim/ controls)
const log = (...a: unknown[]) => console.log(...a);

// Rivet type for an event name that is not in the required list: PascalCase + "Event", looked up
// in the export lists of Rivet's .d.ts entry points.
function rivetEventTypes(): Map<string, { module: string; typeName: string }> {
  const m = new Map<string, { module: string; typeName: string }>();
  const root = path.join(confDir, "node_modules", "@zoom", "rivet");
  for (const mod of ["meetings", "phone", "users", "marketplace", "accounts", "teamchat", "chatbot", "videosdk"]) {
    const dts = fs.readFileSync(path.join(root, mod, `${mod}.d.ts`), "utf8");
    const exp = /export type \{([^}]*)\}/.exec(dts)?.[1] ?? "";
    for (const name of exp.split(",").map((s) => s.trim())) {
      if (name.endsWith("Event") && !m.has(name)) m.set(name, { module: `@zoom/rivet/${mod}`, typeName: name });
    }
  }
  return m;
}
const pascalEvent = (ev: string) =>
  ev
    .split(/[._]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("") + "Event";

// ---------------------------------------------------------------------------------------------

interface Ctx {
  sim: Sim;
  s2s: Creds; // Server-to-Server app
  oauthApp: Creds; // the general (OAuth) app that owns the webhook subscription
  s2sToken?: string;
  userToken?: { access: string; refresh: string };
  simNow: Date;
}

async function simNow(sim: Sim): Promise<Date> {
  const r = await http("POST", `${sim.base}/_sim/advance?minutes=0`);
  if (r.status === 200 && isObj(r.json) && typeof r.json.now === "string") return new Date(r.json.now);
  throw new Error(`POST /_sim/advance?minutes=0 answered ${r.status}: ${short(r.text)} (expected {"now": ...})`);
}

// REST call with Zoom's rate-limit manners: on a per-second 429, wait and retry.
async function api(
  ctx: Ctx,
  method: string,
  p: string,
  opts: { query?: Record<string, string | number>; body?: unknown; token?: string } = {},
): Promise<HttpResult> {
  const qs = opts.query ? "?" + new URLSearchParams(Object.entries(opts.query).map(([k, v]) => [k, String(v)])) : "";
  for (let attempt = 0; ; attempt++) {
    const r = await http(method, `${ctx.sim.api}${p}${qs}`, {
      headers: {
        Authorization: `Bearer ${opts.token ?? ctx.s2sToken}`,
        Accept: "application/json",
        ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    if (r.status === 429 && attempt < 5 && !/daily/i.test(r.text)) {
      await sleep(1100);
      continue;
    }
    return r;
  }
}

async function rivetCall<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const msg = String((e as Error)?.message ?? e);
      if (/\[429/.test(msg) && attempt < 5) {
        await sleep(1100);
        continue;
      }
      throw e;
    }
  }
}

// Zoom's rule for meeting UUIDs in paths: double-encode when it starts with "/" or contains "//".
const encUUID = (u: string) =>
  u.startsWith("/") || u.includes("//") ? encodeURIComponent(encodeURIComponent(u)) : encodeURIComponent(u);

function expectJSON(row: string, r: HttpResult, want: number[]): Record<string, unknown> | undefined {
  if (!want.includes(r.status)) {
    table.fail("rest", row, "shape", `${r.url} answered HTTP ${r.status} (expected ${want.join("/")}): ${short(r.text)}`);
    return undefined;
  }
  if (!isObj(r.json)) {
    table.fail("rest", row, "shape", `${r.url} answered a body that is not a JSON object: ${short(r.text)}`);
    return undefined;
  }
  const ct = r.headers.get("content-type") ?? "";
  if (!/application\/json/i.test(ct)) notes.push(`${row}: Content-Type is "${ct}", Zoom sends application/json`);
  return r.json;
}

async function rivetRow(row: string, what: string, fn: () => Promise<{ statusCode: number; data?: unknown }>, want = [200]) {
  try {
    const res = await rivetCall(fn);
    if (!want.includes(res.statusCode)) {
      table.fail("rest", row, "rivet", `Rivet ${what} returned status ${res.statusCode} (expected ${want.join("/")})`);
    } else if (res.statusCode !== 204 && !isObj(res.data)) {
      table.fail("rest", row, "rivet", `Rivet ${what} returned no JSON object: ${short(JSON.stringify(res.data) ?? "")}`);
    } else table.pass("rest", row, "rivet");
    return res;
  } catch (e) {
    table.fail("rest", row, "rivet", `Rivet ${what} threw ${(e as Error).name}: ${(e as Error).message}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// OAuth

async function oauthPhase(ctx: Ctx, sink: WebhookSink) {
  // (1) Server-to-Server token, fetched by Rivet's own S2SAuth (OAuth host rewritten to the emulator).
  const row1 = "POST /oauth/token grant_type=account_credentials";
  table.get("oauth", row1, "Rivet S2SAuth token shape");
  const raw = await http(
    "POST",
    `${ctx.sim.base}/oauth/token?grant_type=account_credentials&account_id=${encodeURIComponent(ctx.s2s.accountId)}`,
    { headers: { Authorization: basic(ctx.s2s.clientId, ctx.s2s.clientSecret) } },
  );
  if (raw.status !== 200 || !isObj(raw.json) || typeof raw.json.access_token !== "string") {
    table.fail("oauth", row1, "shape", `account_credentials answered HTTP ${raw.status}: ${short(raw.text)}`);
  } else {
    ctx.s2sToken = raw.json.access_token;
    const t = raw.json;
    // What Rivet's S2SAuth.assertRawToken requires.
    const bad = [
      typeof t.access_token !== "string" && "access_token not a string",
      typeof t.expires_in !== "number" && "expires_in not a number",
      typeof t.scope !== "string" && "scope not a string",
    ].filter(Boolean);
    if (bad.length) table.fail("oauth", row1, "shape", `token response fails Rivet's S2S shape: ${bad.join(", ")}`);
    else table.pass("oauth", row1, "shape");
    if (t.token_type !== "bearer") notes.push(`account_credentials token_type is ${JSON.stringify(t.token_type)}, Zoom sends "bearer"`);
    if ("refresh_token" in t) notes.push("account_credentials response carries a refresh_token; Zoom's S2S tokens have none");
  }
  try {
    const store = new MemoryStore<S2SAuthToken>();
    const c = s2sClients(ctx.s2s, ctx.sim.api, store);
    const users = await rivetCall(() => c.users.endpoints.users.listUsers({ query: { page_size: 1 } }));
    if (!store.token?.accessToken) throw new Error("Rivet stored no token");
    if (users.statusCode !== 200) throw new Error(`GET /users with Rivet's token returned ${users.statusCode}`);
    table.pass("oauth", row1, "rivet");
  } catch (e) {
    table.fail("oauth", row1, "rivet", `Rivet S2SAuth could not get a token from the emulator and use it: ${(e as Error).message}`);
  }

  // (2) User authorization: consent page (or auto-approve) -> code -> token, then refresh by Rivet's OAuth.
  const row2 = "GET /oauth/authorize + POST /oauth/token grant_type=authorization_code";
  table.get("oauth", row2, "Rivet OAuth token shape");
  const redirectUri = `http://127.0.0.1:${sink.port}/zoom/oauth/callback`;
  const code = await authorize(ctx, redirectUri, row2);
  if (code) {
    const tok = await http("POST", `${ctx.sim.base}/oauth/token`, {
      headers: { Authorization: basic(ctx.oauthApp.clientId, ctx.oauthApp.clientSecret), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri }).toString(),
    });
    const t = tok.json;
    if (tok.status !== 200 || !isObj(t)) {
      table.fail("oauth", row2, "shape", `code exchange answered HTTP ${tok.status}: ${short(tok.text)}`);
    } else {
      // What Rivet's OAuth.assertResponseAccessToken requires.
      const bad = [
        typeof t.access_token !== "string" && "access_token not a string",
        typeof t.refresh_token !== "string" && "refresh_token not a string",
        typeof t.expires_in !== "number" && "expires_in not a number",
        typeof t.scope !== "string" && "scope not a string",
      ].filter(Boolean);
      if (bad.length) table.fail("oauth", row2, "shape", `token response fails Rivet's OAuth shape: ${bad.join(", ")}`);
      else {
        table.pass("oauth", row2, "shape");
        ctx.userToken = { access: t.access_token as string, refresh: t.refresh_token as string };
      }
    }
  }
  const row3 = "POST /oauth/token grant_type=refresh_token (by Rivet OAuth)";
  table.get("oauth", row3, "Rivet OAuth token shape");
  if (!ctx.userToken) {
    table.fail("oauth", row3, "rivet", "no user token to refresh (authorization failed above)");
  } else {
    // A stored token that is already expired makes Rivet's OAuth refresh it before the call.
    const store = new MemoryStore<OAuthToken>({
      accessToken: ctx.userToken.access,
      refreshToken: ctx.userToken.refresh,
      expirationTimeIso: new Date(Date.now() - 60_000).toISOString(),
      scopes: [],
    });
    const c = userOAuthClient(ctx.oauthApp, ctx.sim.api, store, redirectUri);
    try {
      const me = await rivetCall(() => c.endpoints.users.getUser({ path: { userId: "me" } }));
      if (store.token?.refreshToken === ctx.userToken.refresh) throw new Error("Rivet did not refresh (refresh token unchanged)");
      if (me.statusCode !== 200) throw new Error(`GET /users/me after refresh returned ${me.statusCode}`);
      ctx.userToken = { access: store.token!.accessToken, refresh: store.token!.refreshToken };
      table.pass("oauth", row3, "rivet");
      table.pass("oauth", row3, "shape");
    } catch (e) {
      table.fail("oauth", row3, "rivet", `Rivet OAuth refresh against the emulator failed: ${(e as Error).message}` +
        ((e as { cause?: Error }).cause ? ` (cause: ${(e as { cause?: Error }).cause?.message})` : ""));
    }
  }
}

const unescapeHtml = (v: string) =>
  v
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

// Drives /oauth/authorize like a browser: follows an auto-approve redirect, or submits the consent form.
async function authorize(ctx: Ctx, redirectUri: string, row: string): Promise<string | undefined> {
  const state = "conformance-state";
  let r = await http(
    "GET",
    `${ctx.sim.base}/oauth/authorize?` +
      new URLSearchParams({ response_type: "code", client_id: ctx.oauthApp.clientId, redirect_uri: redirectUri, state }),
  );
  for (let hop = 0; hop < 3 && r.status === 200 && /<form/i.test(r.text); hop++) {
    const form = /<form[^>]*>([\s\S]*?)<\/form>/i.exec(r.text)!;
    const action = /action="([^"]*)"/i.exec(form[0])?.[1] ?? "/oauth/authorize";
    const method = (/method="([^"]*)"/i.exec(form[0])?.[1] ?? "POST").toUpperCase();
    const fields = new URLSearchParams();
    for (const m of form[1].matchAll(/<input[^>]*>/gi)) {
      const name = /name="([^"]*)"/i.exec(m[0])?.[1];
      const value = /value="([^"]*)"/i.exec(m[0])?.[1] ?? "";
      const type = /type="([^"]*)"/i.exec(m[0])?.[1] ?? "text";
      if (name && type !== "submit") fields.set(name, unescapeHtml(value));
    }
    for (const m of form[1].matchAll(/<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/gi)) {
      const opts = [...m[2].matchAll(/<option[^>]*value="([^"]*)"[^>]*>/gi)];
      const sel = opts.find((o) => /\sselected/i.test(o[0])) ?? opts[0];
      if (sel) fields.set(m[1], unescapeHtml(sel[1]));
    }
    // the approve button, if it carries a name
    for (const m of form[1].matchAll(/<button[^>]*>/gi)) {
      const name = /name="([^"]*)"/i.exec(m[0])?.[1];
      const value = /value="([^"]*)"/i.exec(m[0])?.[1] ?? "";
      if (name && /allow|approve|accept|authori/i.test(value + m[0])) fields.set(name, value);
    }
    const url = new URL(action.replace(/&amp;/g, "&"), ctx.sim.base).toString();
    r = method === "GET"
      ? await http("GET", url + (url.includes("?") ? "&" : "?") + fields.toString())
      : await http("POST", url, { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: fields.toString() });
  }
  if (r.status !== 302 && r.status !== 303) {
    table.fail("oauth", row, "shape", `/oauth/authorize did not redirect to the app (HTTP ${r.status}): ${short(r.text)}`);
    return undefined;
  }
  const loc = new URL(r.headers.get("location") ?? "", ctx.sim.base);
  const code = loc.searchParams.get("code");
  if (!code || loc.searchParams.get("state") !== state || !loc.toString().startsWith(redirectUri)) {
    table.fail("oauth", row, "shape", `/oauth/authorize redirected to ${loc} (expected ${redirectUri}?code=...&state=${state})`);
    return undefined;
  }
  table.pass("oauth", row, "rivet");
  return code;
}

// ---------------------------------------------------------------------------------------------
// REST

async function restPhase(ctx: Ctx) {
  const store = new MemoryStore<S2SAuthToken>({
    accessToken: ctx.s2sToken ?? "",
    expirationTimeIso: new Date(Date.now() + 50 * 60_000).toISOString(),
    scopes: [],
  });
  const c = s2sClients(ctx.s2s, ctx.sim.api, store);
  const now = ctx.simNow;
  const from = ymd(new Date(now.getTime() - 29 * 86400_000));
  const to = ymd(now);

  // --- users
  let row = "GET /users";
  table.get("rest", row, "UsersListUsersResponse");
  const users: Record<string, any>[] = [];
  {
    let token = "";
    for (let page = 1; page <= 20; page++) {
      const r = await api(ctx, "GET", "/users", { query: { page_size: 30, ...(token ? { next_page_token: token } : {}) } });
      const j = expectJSON(row, r, [200]);
      if (!j) break;
      addSample(row, `GET /v2/users page ${page}`, "@zoom/rivet/users", "UsersListUsersResponse", j);
      if (Array.isArray(j.users)) users.push(...j.users);
      token = typeof j.next_page_token === "string" ? j.next_page_token : "";
      if (!token) break;
    }
    await rivetRow(row, "users.users.listUsers", () => c.users.endpoints.users.listUsers({ query: { page_size: 30 } }));
  }
  if (!users.length) {
    table.fail("rest", row, "shape", "GET /v2/users listed no users");
    return;
  }
  const ids = users.map((u) => String(u.id));

  row = "GET /users/{userId}";
  table.get("rest", row, "UsersGetUserResponse");
  for (const status of ["inactive", "pending"]) {
    const j = expectJSON("GET /users", await api(ctx, "GET", "/users", { query: { status, page_size: 300 } }), [200]);
    if (j) addSample("GET /users", `GET /v2/users?status=${status}`, "@zoom/rivet/users", "UsersListUsersResponse", j);
  }
  for (const id of ids) {
    const j = expectJSON(row, await api(ctx, "GET", `/users/${encodeURIComponent(id)}`), [200]);
    if (j) addSample(row, `GET /v2/users/${id}`, "@zoom/rivet/users", "UsersGetUserResponse", j);
  }
  await rivetRow(row, "users.users.getUser", () => c.users.endpoints.users.getUser({ path: { userId: ids[0] } }));

  row = "GET /users/me";
  table.get("rest", row, "UsersGetUserResponse");
  if (!ctx.userToken) table.fail("rest", row, "shape", "no user-level OAuth token (see the oauth rows)");
  else {
    const j = expectJSON(row, await api(ctx, "GET", `/users/me`, { token: ctx.userToken.access }), [200]);
    if (j) addSample(row, `GET /v2/users/me (user token)`, "@zoom/rivet/users", "UsersGetUserResponse", j);
    const ustore = new MemoryStore<OAuthToken>({
      accessToken: ctx.userToken.access,
      refreshToken: ctx.userToken.refresh,
      expirationTimeIso: new Date(Date.now() + 50 * 60_000).toISOString(),
      scopes: [],
    });
    const uc = userOAuthClient(ctx.oauthApp, ctx.sim.api, ustore, "http://127.0.0.1/zoom/oauth/callback");
    await rivetRow(row, "users.users.getUser(me) with the user's OAuth token", () => uc.endpoints.users.getUser({ path: { userId: "me" } }));
  }

  // Per-user lists: type-check every user's answer, require at least one non-empty list.
  async function perUser(
    row: string,
    typeName: string,
    module: string,
    listKey: string,
    mkPath: (id: string) => string,
    query: Record<string, string | number>,
    okStatuses = [200],
    requireItems = true, // false for query variants that may legitimately be empty
  ) {
    table.get("rest", row, typeName);
    const found: { userId: string; items: any[] }[] = [];
    const statuses: number[] = [];
    for (const id of ids) {
      const r = await api(ctx, "GET", mkPath(id), { query });
      statuses.push(r.status);
      if (r.status !== 200 && okStatuses.includes(r.status)) continue; // e.g. a user without a Phone licence
      const j = expectJSON(row, r, [200]);
      if (!j) continue;
      addSample(row, `GET /v2${mkPath(id)}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, module, typeName, j);
      const items = Array.isArray(j[listKey]) ? (j[listKey] as any[]) : [];
      if (items.length) found.push({ userId: id, items });
    }
    if (!statuses.some((s) => s === 200)) {
      table.fail("rest", row, "shape", `no user got HTTP 200 (statuses: ${[...new Set(statuses)].join(", ")})`);
    } else if (!found.length && requireItems) {
      table.fail("rest", row, "shape", `every user's "${listKey}" list is empty, so no item could be type-checked (query ${JSON.stringify(query)})`);
    }
    return found;
  }

  // --- meetings
  row = "GET /users/{userId}/meetings";
  const listed = await perUser(row, "MeetingsListMeetingsResponse", "@zoom/rivet/meetings", "meetings", (id) => `/users/${encodeURIComponent(id)}/meetings`, { type: "scheduled", page_size: 30 });
  for (const type of ["previous_meetings", "upcoming", "upcoming_meetings", "live"])
    await perUser(row, "MeetingsListMeetingsResponse", "@zoom/rivet/meetings", "meetings", (id) => `/users/${encodeURIComponent(id)}/meetings`, { type, page_size: 30 }, [200], false);
  const hostId = listed[0]?.userId ?? ids[0];
  const created: number[] = [];
  await rivetRow(row, "meetings.meetings.listMeetings", () => c.meetings.endpoints.meetings.listMeetings({ path: { userId: hostId }, query: { type: "scheduled" } }));

  row = "POST /users/{userId}/meetings";
  table.get("rest", row, "MeetingsCreateMeetingResponse");
  {
    const start = new Date(now.getTime() + 3 * 86400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const body = {
      topic: "Conformance check",
      type: 2 as const,
      start_time: start,
      duration: 30,
      timezone: "UTC",
      agenda: "Created by the conformance suite",
      settings: { host_video: true, join_before_host: false, auto_recording: "cloud" as const, waiting_room: false },
    };
    const j = expectJSON(row, await api(ctx, "POST", `/users/${encodeURIComponent(hostId)}/meetings`, { body }), [201]);
    if (j) addSample(row, `POST /v2/users/${hostId}/meetings`, "@zoom/rivet/meetings", "MeetingsCreateMeetingResponse", j);
    if (j && typeof j.id === "number") created.push(j.id);
    const rc = await rivetRow(row, "meetings.meetings.createMeeting", () => c.meetings.endpoints.meetings.createMeeting({ path: { userId: hostId }, body }), [201]);
    const rid = (rc?.data as { id?: number } | undefined)?.id;
    if (typeof rid === "number") created.push(rid);
    // a recurring meeting with a fixed time, too
    const body8 = { ...body, topic: "Conformance recurring", type: 8 as const, recurrence: { type: 2 as const, repeat_interval: 1, weekly_days: "2,4", end_times: 4 } };
    const j8 = expectJSON(row, await api(ctx, "POST", `/users/${encodeURIComponent(hostId)}/meetings`, { body: body8 }), [201]);
    if (j8) addSample(row, `POST /v2/users/${hostId}/meetings (type 8)`, "@zoom/rivet/meetings", "MeetingsCreateMeetingResponse", j8);
    if (j8 && typeof j8.id === "number") created.push(j8.id);
  }

  // --- reports (past meetings with >= 2 participants)
  row = "GET /report/users/{userId}/meetings";
  const reported = await perUser(row, "ReportsGetMeetingReportsResponse", "@zoom/rivet/meetings", "meetings", (id) => `/report/users/${encodeURIComponent(id)}/meetings`, { from, to, page_size: 30 });
  for (const type of ["pastOne", "pastJoined"])
    await perUser(row, "ReportsGetMeetingReportsResponse", "@zoom/rivet/meetings", "meetings", (id) => `/report/users/${encodeURIComponent(id)}/meetings`, { from, to, type, page_size: 30 }, [200], false);
  if (reported[0]) {
    const uid = reported[0].userId;
    await rivetRow(row, "meetings.reports.getMeetingReports", () => c.meetings.endpoints.reports.getMeetingReports({ path: { userId: uid }, query: { from, to } }));
  }

  // --- webinars
  row = "GET /users/{userId}/webinars";
  const webinars = await perUser(row, "WebinarsListWebinarsResponse", "@zoom/rivet/meetings", "webinars", (id) => `/users/${encodeURIComponent(id)}/webinars`, { page_size: 30 }, [200, 400, 403, 404]);
  {
    const uid = webinars[0]?.userId ?? ids[0];
    await rivetRow(row, "meetings.webinars.listWebinars", () => c.meetings.endpoints.webinars.listWebinars({ path: { userId: uid } }));
  }

  // --- recordings
  row = "GET /users/{userId}/recordings";
  const recs = await perUser(row, "CloudRecordingListAllRecordingsResponse", "@zoom/rivet/meetings", "meetings", (id) => `/users/${encodeURIComponent(id)}/recordings`, { from, to, page_size: 30 }, [200, 400]);
  if (recs[0]) {
    const uid = recs[0].userId;
    await rivetRow(row, "meetings.cloudRecording.listAllRecordings", () => c.meetings.endpoints.cloudRecording.listAllRecordings({ path: { userId: uid }, query: { from, to } }));
  }
  const recMeetings = recs.flatMap((r) => r.items).slice(0, 8);
  // Consistency Zoom's data has but Rivet's types cannot express (advisory).
  const pair: Record<string, string> = { MP4: "MP4", M4A: "M4A", TRANSCRIPT: "VTT", CHAT: "TXT", CC: "VTT", SUMMARY: "JSON", CSV: "CSV" };
  for (const m of recs.flatMap((r) => r.items)) {
    const files: any[] = Array.isArray(m.recording_files) ? m.recording_files : [];
    if (m.recording_count !== files.length) notes.push(`GET /users/{userId}/recordings: meeting ${m.uuid} recording_count ${m.recording_count} but ${files.length} recording_files`);
    const sum = files.reduce((a, f) => a + (Number(f.file_size) || 0), 0);
    if (m.total_size !== sum) notes.push(`GET /users/{userId}/recordings: meeting ${m.uuid} total_size ${m.total_size} but files add up to ${sum}`);
    for (const f of files) {
      if (f.meeting_id !== m.uuid) notes.push(`GET /users/{userId}/recordings: file ${f.id} meeting_id ${f.meeting_id} is not the meeting's uuid ${m.uuid}`);
      if (pair[f.file_type] && pair[f.file_type] !== f.file_extension) notes.push(`GET /users/{userId}/recordings: file_type ${f.file_type} with file_extension ${f.file_extension}`);
    }
  }

  row = "GET /meetings/{meetingId}/recordings";
  table.get("rest", row, "CloudRecordingGetMeetingRecordingsResponse");
  if (!recMeetings.length) table.fail("rest", row, "shape", "no recorded meeting found in GET /users/{userId}/recordings to ask for");
  for (const m of recMeetings) {
    const j = expectJSON(row, await api(ctx, "GET", `/meetings/${encUUID(String(m.uuid))}/recordings`), [200]);
    if (j) addSample(row, `GET /v2/meetings/${m.uuid}/recordings`, "@zoom/rivet/meetings", "CloudRecordingGetMeetingRecordingsResponse", j);
  }
  if (recMeetings[0]) {
    const j = expectJSON(row, await api(ctx, "GET", `/meetings/${recMeetings[0].id}/recordings`, { query: { include_fields: "download_access_token" } }), [200]);
    if (j) addSample(row, `GET /v2/meetings/${recMeetings[0].id}/recordings?include_fields=download_access_token`, "@zoom/rivet/meetings", "CloudRecordingGetMeetingRecordingsResponse", j);
    const mid = encUUID(String(recMeetings[0].uuid));
    await rivetRow(row, "meetings.cloudRecording.getMeetingRecordings", () => c.meetings.endpoints.cloudRecording.getMeetingRecordings({ path: { meetingId: mid } }));
  }

  // --- past meeting details (UUIDs from the report and the recordings)
  row = "GET /past_meetings/{meetingId}";
  table.get("rest", row, "MeetingsGetPastMeetingDetailsResponse");
  const pastUUIDs = [...new Set([...reported.flatMap((r) => r.items), ...recMeetings].map((m) => String(m.uuid)))].slice(0, 6);
  if (!pastUUIDs.length) table.fail("rest", row, "shape", "no past meeting UUID found (report and recordings lists are empty)");
  for (const u of pastUUIDs) {
    const j = expectJSON(row, await api(ctx, "GET", `/past_meetings/${encUUID(u)}`), [200]);
    if (j) addSample(row, `GET /v2/past_meetings/${u}`, "@zoom/rivet/meetings", "MeetingsGetPastMeetingDetailsResponse", j);
  }
  if (pastUUIDs[0]) {
    const mid = encUUID(pastUUIDs[0]);
    await rivetRow(row, "meetings.meetings.getPastMeetingDetails", () => c.meetings.endpoints.meetings.getPastMeetingDetails({ path: { meetingId: mid } }));
  }

  // --- meeting summaries (recorded meetings that have a SUMMARY file, then any)
  row = "GET /meetings/{meetingUUID}/meeting_summary";
  table.get("rest", row, "MeetingsGetMeetingOrWebinarSummaryResponse");
  {
    const all = recs.flatMap((r) => r.items);
    const withSummary = all.filter((m) => Array.isArray(m.recording_files) && m.recording_files.some((f: any) => f.file_type === "SUMMARY"));
    const candidates = [...withSummary, ...all, ...reported.flatMap((r) => r.items)].map((m) => String(m.uuid));
    let got: string | undefined;
    const statuses: string[] = [];
    for (const u of [...new Set(candidates)].slice(0, 25)) {
      const r = await api(ctx, "GET", `/meetings/${encUUID(u)}/meeting_summary`);
      if (r.status !== 200) {
        statuses.push(`${r.status} ${short(r.text, 120)}`);
        continue;
      }
      const j = expectJSON(row, r, [200]);
      if (j) addSample(row, `GET /v2/meetings/${u}/meeting_summary`, "@zoom/rivet/meetings", "MeetingsGetMeetingOrWebinarSummaryResponse", j);
      got ??= u;
      if ((sampleCount.get(row) ?? 0) >= 4) break;
    }
    if (!got) table.fail("rest", row, "shape", `no meeting had a summary (tried ${candidates.length} UUIDs; answers: ${[...new Set(statuses)].slice(0, 3).join(" | ")})`);
    else {
      const mid = encUUID(got);
      await rivetRow(row, "meetings.meetings.getMeetingOrWebinarSummary", () => c.meetings.endpoints.meetings.getMeetingOrWebinarSummary({ path: { meetingId: mid } }));
    }
  }

  // --- phone call history
  row = "GET /phone/users/{userId}/call_history";
  const calls = await perUser(row, "CallLogsGetUsersCallHistoryResponse", "@zoom/rivet/phone", "call_logs", (id) => `/phone/users/${encodeURIComponent(id)}/call_history`, { from, to, page_size: 30 }, [200, 400, 403, 404]);
  if (calls[0]) {
    const uid = calls[0].userId;
    await rivetRow(row, "phone.callLogs.getUsersCallHistory", () => c.phone.endpoints.callLogs.getUsersCallHistory({ path: { userId: uid }, query: { from, to } }));
  }

  // ------------------------------------------------------------------------------------------
  // Further endpoints the emulator serves (not in issue 3's minimum list).
  row = "GET /meetings/{meetingId}";
  table.get("rest", row, "MeetingsGetMeetingResponse");
  {
    const mids = [...listed.flatMap((l) => l.items).slice(0, 5).map((m) => Number(m.id)), ...created];
    if (!mids.length) table.fail("rest", row, "shape", "no meeting ID to ask for");
    for (const mid of mids) {
      const j = expectJSON(row, await api(ctx, "GET", `/meetings/${mid}`), [200]);
      if (j) addSample(row, `GET /v2/meetings/${mid}`, "@zoom/rivet/meetings", "MeetingsGetMeetingResponse", j);
    }
    if (mids[0]) await rivetRow(row, "meetings.meetings.getMeeting", () => c.meetings.endpoints.meetings.getMeeting({ path: { meetingId: mids[0] } }));
  }
  row = "PATCH /meetings/{meetingId}";
  table.get("rest", row);
  if (created.length < 2) table.fail("rest", row, "rivet", "needs two meetings created through POST /users/{userId}/meetings");
  else {
    const r = await api(ctx, "PATCH", `/meetings/${created[0]}`, { body: { topic: "Conformance check (renamed)", duration: 45 } });
    if (r.status !== 204) table.fail("rest", row, "rivet", `PATCH /v2/meetings/${created[0]} answered ${r.status} (Zoom: 204): ${short(r.text)}`);
    const after = await api(ctx, "GET", `/meetings/${created[0]}`);
    if (isObj(after.json) && after.json.topic !== "Conformance check (renamed)") table.fail("rest", row, "rivet", `GET after PATCH shows topic ${JSON.stringify(after.json.topic)}`);
    const id1 = created[1];
    await rivetRow(row, "meetings.meetings.updateMeeting", () => c.meetings.endpoints.meetings.updateMeeting({ path: { meetingId: id1 }, body: { agenda: "updated by Rivet" } }), [204]);
  }
  row = "DELETE /meetings/{meetingId}";
  table.get("rest", row);
  if (created.length < 2) table.fail("rest", row, "rivet", "needs two meetings created through POST /users/{userId}/meetings");
  else {
    const r = await api(ctx, "DELETE", `/meetings/${created[0]}`);
    if (r.status !== 204) table.fail("rest", row, "rivet", `DELETE /v2/meetings/${created[0]} answered ${r.status} (Zoom: 204): ${short(r.text)}`);
    const gone = await api(ctx, "GET", `/meetings/${created[0]}`);
    if (gone.status !== 404) table.fail("rest", row, "rivet", `GET after DELETE answered ${gone.status} (expected 404 code 3001)`);
    const id1 = created[1];
    await rivetRow(row, "meetings.meetings.deleteMeeting", () => c.meetings.endpoints.meetings.deleteMeeting({ path: { meetingId: id1 } }), [204]);
  }
  const owner = users.find((u) => u.role_name === "Owner" || u.role_id === "0") ?? users[0];
  await bookingRows({ table, api: (m, p, o) => api(ctx, m, p, o), expectJSON, addSample, rivetRow, meetings: c.meetings.endpoints.meetings, hostId, ownerId: String(owner.id), now });

  const past = reported.flatMap((r) => r.items).slice(0, 4);
  row = "GET /past_meetings/{meetingId}/instances";
  table.get("rest", row, "MeetingsListPastMeetingInstancesResponse");
  for (const m of past) {
    const j = expectJSON(row, await api(ctx, "GET", `/past_meetings/${m.id}/instances`), [200]);
    if (j) addSample(row, `GET /v2/past_meetings/${m.id}/instances`, "@zoom/rivet/meetings", "MeetingsListPastMeetingInstancesResponse", j);
  }
  if (past[0]) await rivetRow(row, "meetings.meetings.listPastMeetingInstances", () => c.meetings.endpoints.meetings.listPastMeetingInstances({ path: { meetingId: past[0].id } }));
  row = "GET /past_meetings/{meetingId}/participants";
  table.get("rest", row, "MeetingsGetPastMeetingParticipantsResponse");
  for (const m of past) {
    const j = expectJSON(row, await api(ctx, "GET", `/past_meetings/${encUUID(String(m.uuid))}/participants`, { query: { page_size: 30 } }), [200]);
    if (j) addSample(row, `GET /v2/past_meetings/${m.uuid}/participants`, "@zoom/rivet/meetings", "MeetingsGetPastMeetingParticipantsResponse", j);
  }
  if (past[0]) {
    const mid = encUUID(String(past[0].uuid));
    await rivetRow(row, "meetings.meetings.getPastMeetingParticipants", () => c.meetings.endpoints.meetings.getPastMeetingParticipants({ path: { meetingId: mid } }));
  }

  const wbs = webinars.flatMap((w) => w.items).slice(0, 4);
  row = "GET /webinars/{webinarId}";
  table.get("rest", row, "WebinarsGetWebinarResponse");
  for (const w of wbs) {
    const j = expectJSON(row, await api(ctx, "GET", `/webinars/${w.id}`), [200]);
    if (j) addSample(row, `GET /v2/webinars/${w.id}`, "@zoom/rivet/meetings", "WebinarsGetWebinarResponse", j);
  }
  if (wbs[0]) await rivetRow(row, "meetings.webinars.getWebinar", () => c.meetings.endpoints.webinars.getWebinar({ path: { webinarId: wbs[0].id } }));
  row = "GET /past_webinars/{webinarId}/instances";
  table.get("rest", row, "WebinarsListPastWebinarInstancesResponse");
  const pastWebinars: { id: number; uuid: string }[] = []; // ended instances, for the webinar report
  {
    let any = false;
    for (const w of wbs) {
      const r = await api(ctx, "GET", `/past_webinars/${w.id}/instances`);
      if (r.status === 404) continue; // a webinar that has not run yet
      const j = expectJSON(row, r, [200]);
      if (j) addSample(row, `GET /v2/past_webinars/${w.id}/instances`, "@zoom/rivet/meetings", "WebinarsListPastWebinarInstancesResponse", j);
      if (j && Array.isArray(j.webinars)) for (const i of j.webinars) pastWebinars.push({ id: Number(w.id), uuid: String(i.uuid) });
      if (j && Array.isArray(j.webinars) && j.webinars.length && !any) {
        any = true;
        const wid = w.id;
        await rivetRow(row, "meetings.webinars.listPastWebinarInstances", () => c.meetings.endpoints.webinars.listPastWebinarInstances({ path: { webinarId: wid } }));
      }
    }
    if (!any) table.fail("rest", row, "shape", "no listed webinar has past instances to type-check");
  }
  // The webinar report: the only place with a past webinar's end, duration and attendance.
  row = "GET /report/webinars/{webinarId}";
  table.get("rest", row, "ReportsGetWebinarDetailReportsResponse");
  if (!pastWebinars.length) table.fail("rest", row, "shape", "no past webinar instance to ask for");
  for (const p of pastWebinars.slice(0, 6)) {
    const j = expectJSON(row, await api(ctx, "GET", `/report/webinars/${encUUID(p.uuid)}`), [200]);
    if (j) addSample(row, `GET /v2/report/webinars/${p.uuid}`, "@zoom/rivet/meetings", "ReportsGetWebinarDetailReportsResponse", j);
  }
  if (pastWebinars[0]) {
    const first = pastWebinars[0];
    const j = expectJSON(row, await api(ctx, "GET", `/report/webinars/${first.id}`), [200]);
    if (j) addSample(row, `GET /v2/report/webinars/${first.id} (webinar ID: latest instance)`, "@zoom/rivet/meetings", "ReportsGetWebinarDetailReportsResponse", j);
    const wid = encUUID(first.uuid);
    await rivetRow(row, "meetings.reports.getWebinarDetailReports", () => c.meetings.endpoints.reports.getWebinarDetailReports({ path: { webinarId: wid } }));
  }

  row = "GET /phone/users";
  table.get("rest", row, "UsersListPhoneUsersResponse");
  {
    const j = expectJSON(row, await api(ctx, "GET", "/phone/users", { query: { page_size: 30 } }), [200]);
    if (j) addSample(row, "GET /v2/phone/users", "@zoom/rivet/phone", "UsersListPhoneUsersResponse", j);
    if (j && !(Array.isArray(j.users) && j.users.length)) table.fail("rest", row, "shape", "no phone users listed");
    await rivetRow(row, "phone.users.listPhoneUsers", () => c.phone.endpoints.users.listPhoneUsers({ query: { page_size: 30 } }));
  }

  row = "GET /phone/users/{userId}/call_logs";
  const logs = await perUser(row, "CallLogsGetUsersCallLogsResponse", "@zoom/rivet/phone", "call_logs", (id) => `/phone/users/${encodeURIComponent(id)}/call_logs`, { from, to, page_size: 30 }, [200, 400, 403, 404]);
  if (logs[0]) {
    const uid = logs[0].userId;
    await rivetRow(row, "phone.callLogs.getUsersCallLogs", () => c.phone.endpoints.callLogs.getUsersCallLogs({ path: { userId: uid }, query: { from, to } }));
  }

  // --- the chat bot's Phone data: voicemails (with a transcript) and SMS sessions, then their events
  row = "GET /phone/users/{userId}/voice_mails";
  const vms = await perUser(row, "VoicemailsGetUsersVoicemailsResponse", "@zoom/rivet/phone", "voice_mails", (id) => `/phone/users/${encodeURIComponent(id)}/voice_mails`, { page_size: 30 }, [200, 403, 404]);
  if (vms[0]) {
    const uid = vms[0].userId;
    await rivetRow(row, "phone.voicemails.getUsersVoicemails", () => c.phone.endpoints.voicemails.getUsersVoicemails({ path: { userId: uid } }));
    row = "GET /phone/voice_mails/{voicemailId}";
    table.get("rest", row, "VoicemailsGetVoicemailDetailsResponse");
    const vid = String(vms[0].items[0].id);
    const j = expectJSON(row, await api(ctx, "GET", `/phone/voice_mails/${encodeURIComponent(vid)}`), [200]);
    if (j) addSample(row, `GET /v2/phone/voice_mails/${vid}`, "@zoom/rivet/phone", "VoicemailsGetVoicemailDetailsResponse", j);
    await rivetRow(row, "phone.voicemails.getVoicemailDetails", () => c.phone.endpoints.voicemails.getVoicemailDetails({ path: { voicemailId: vid } }));
  }
  row = "GET /phone/users/{userId}/sms/sessions";
  const sms = await perUser(row, "SMSGetUsersSMSSessionsResponse", "@zoom/rivet/phone", "sms_sessions", (id) => `/phone/users/${encodeURIComponent(id)}/sms/sessions`, { page_size: 30 }, [200, 403, 404]);
  if (sms[0]) {
    const uid = sms[0].userId;
    await rivetRow(row, "phone.sMS.getUsersSMSSessions", () => c.phone.endpoints.sMS.getUsersSMSSessions({ path: { userId: uid } }));
    for (const what of ["voicemail", "sms"]) await http("POST", `${ctx.sim.base}/_sim/phone/${what}?user=${encodeURIComponent(uid)}`);
  }

  // Zoom's error body as Rivet reads it: any non-2xx JSON with code and message.
  row = "error body: GET /users/{unknown}";
  table.get("rest", row);
  try {
    await c.users.endpoints.users.getUser({ path: { userId: "no-such-user-xyz" } });
    table.fail("rest", row, "rivet", "Rivet got a success for an unknown user");
  } catch (e) {
    const msg = (e as Error).message;
    if (/^\[404\/1001\]: "User does not exist: no-such-user-xyz\."$/.test(msg)) table.pass("rest", row, "rivet");
    else table.fail("rest", row, "rivet", `Rivet's ApiResponseError says ${msg} (Zoom: [404/1001]: "User does not exist: no-such-user-xyz.")`);
  }
  return { ids, users, c };
}

// ---------------------------------------------------------------------------------------------
// Events

function registerListeners(sink: WebhookSink, p: ReturnType<typeof s2sClients>) {
  const rec = (name: string) => (payload: unknown) => sink.record(name, payload);
  const m = p.meetings.webEventConsumer!;
  m.event("meeting.started", rec("meeting.started"));
  m.event("meeting.ended", rec("meeting.ended"));
  m.event("webinar.ended", rec("webinar.ended"));
  m.event("recording.completed", rec("recording.completed"));
  m.event("recording.transcript_completed", rec("recording.transcript_completed"));
  m.event("meeting.summary_completed", rec("meeting.summary_completed"));
  const ph = p.phone.webEventConsumer!;
  ph.event("phone.caller_ended", rec("phone.caller_ended"));
  ph.event("phone.callee_ended", rec("phone.callee_ended"));
  ph.event("phone.voicemail_received", rec("phone.voicemail_received"));
  ph.event("phone.sms_received", rec("phone.sms_received"));
  const u = p.users.webEventConsumer!;
  u.event("user.created", rec("user.created"));
  u.event("user.updated", rec("user.updated"));
  u.event("user.deactivated", rec("user.deactivated"));
  u.event("user.deleted", rec("user.deleted"));
  u.event("user.activated", rec("user.activated"));
  u.event("user.disassociated", rec("user.disassociated"));
  p.marketplace.webEventConsumer!.event("app_deauthorized", rec("app_deauthorized"));
}

const seen = (sink: WebhookSink, ev: string) => sink.received.some((r) => r.event === ev);

async function advancePhase(ctx: Ctx, sink: WebhookSink) {
  let days = 0;
  while (days < MAX_ADVANCE_DAYS && !ACTIVITY_EVENTS.every((e) => seen(sink, e))) {
    const r = await http("POST", `${ctx.sim.base}/_sim/advance?minutes=${12 * 60}`, { timeoutMs: 120_000 });
    if (r.status !== 200) throw new Error(`POST /_sim/advance?minutes=720 answered ${r.status}: ${short(r.text)}`);
    days += 0.5;
  }
  log(`advanced the sim clock by ${days} day(s); ${sink.deliveries.length} deliveries so far`);
  ctx.simNow = await simNow(ctx.sim);
}

// user.created / updated / deactivated / deleted: first through Zoom's own user-management APIs
// (called by Rivet); where the emulator does not serve one of them, through its /_sim/users controls
// (docs/zoomsim.md), and the missing REST endpoint is reported.
async function userLifecycle(ctx: Ctx, sink: WebhookSink, c: ReturnType<typeof s2sClients>) {
  const stamp = ctx.simNow.getTime();
  const step = async (
    event: string,
    restRow: string,
    viaRivet: () => Promise<{ statusCode: number; data?: unknown }>,
    want: number,
    ctl: string,
    viaSim: () => Promise<HttpResult>,
  ): Promise<unknown> => {
    table.get("rest", restRow, restRow === "POST /users" ? "UsersCreateUsersResponse" : "");
    let data: unknown;
    try {
      const r = await rivetCall(viaRivet);
      if (r.statusCode !== want) throw new Error(`status ${r.statusCode} (Zoom: ${want})`);
      table.pass("rest", restRow, "rivet");
      data = r.data;
    } catch (e) {
      const msg = (e as Error).message;
      table.fail("rest", restRow, "rivet", `Rivet call failed: ${msg}`);
      missing.push(`${restRow} (Zoom's API; Rivet got ${msg}) — the suite used ${ctl} to trigger ${event}`);
      const r = await viaSim();
      if (r.status >= 300) {
        table.fail("event", event, "rivet", `could not trigger ${event}: ${restRow} failed (${msg}) and ${ctl} answered ${r.status}: ${short(r.text)}`);
        return undefined;
      }
      data = r.json;
    }
    await sink.waitFor(() => seen(sink, event), 5000);
    return data;
  };
  const sim = (method: string, p: string, body?: unknown) =>
    http(method, `${ctx.sim.base}${p}`, {
      headers: body !== undefined ? { "Content-Type": "application/json" } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  const create = async (email: string) => {
    const data = await step(
      "user.created",
      "POST /users",
      () => c.users.endpoints.users.createUsers({ body: { action: "create", user_info: { email, type: 1, first_name: "Conformance", last_name: "Check" } } }),
      201,
      "POST /_sim/users",
      () => sim("POST", "/_sim/users", { first_name: "Conformance", last_name: "Check", email, type: 1 }),
    );
    if (isObj(data)) addSample("POST /users", `POST /v2/users (${email})`, "@zoom/rivet/users", "UsersCreateUsersResponse", data);
    return isObj(data) && typeof data.id === "string" ? data.id : undefined;
  };
  const id = await create(`conformance.check.${stamp}@example.com`);
  if (id) {
    // a just-created user is pending (invited): its shape in get and list
    const g = await api(ctx, "GET", `/users/${encodeURIComponent(id)}`);
    if (g.status === 200 && isObj(g.json)) addSample("GET /users/{userId}", `GET /v2/users/${id} (just created)`, "@zoom/rivet/users", "UsersGetUserResponse", g.json);
    const l = await api(ctx, "GET", "/users", { query: { status: "pending", page_size: 300 } });
    if (l.status === 200 && isObj(l.json)) addSample("GET /users", "GET /v2/users?status=pending (after POST /users)", "@zoom/rivet/users", "UsersListUsersResponse", l.json);
  }
  if (!id) {
    for (const ev of ["user.updated", "user.deactivated", "user.deleted"])
      table.fail("event", ev, "rivet", `could not trigger ${ev}: no user could be created`);
    return;
  }
  await step(
    "user.updated",
    "PATCH /users/{userId}",
    () => c.users.endpoints.users.updateUser({ path: { userId: id }, body: { first_name: "Renamed", dept: "QA" } }),
    204,
    "PATCH /_sim/users/{id}",
    () => sim("PATCH", `/_sim/users/${encodeURIComponent(id)}`, { first_name: "Renamed", dept: "QA" }),
  );
  await step(
    "user.deactivated",
    "PUT /users/{userId}/status",
    () => c.users.endpoints.users.updateUserStatus({ path: { userId: id }, body: { action: "deactivate" } }),
    204,
    "POST /_sim/users/{id}/deactivate",
    () => sim("POST", `/_sim/users/${encodeURIComponent(id)}/deactivate`),
  );
  await step(
    "user.activated",
    "PUT /users/{userId}/status",
    () => c.users.endpoints.users.updateUserStatus({ path: { userId: id }, body: { action: "activate" } }),
    204,
    "(no control)",
    async () => ({ status: 501, headers: new Headers(), text: "no /_sim control for activation", json: undefined, url: "" }),
  );
  await step(
    "user.deleted",
    "DELETE /users/{userId}",
    () => c.users.endpoints.users.deleteUser({ path: { userId: id }, query: { action: "delete" } }),
    204,
    "DELETE /_sim/users/{id}",
    () => sim("DELETE", `/_sim/users/${encodeURIComponent(id)}`),
  );
  // disassociate (Zoom's default for DELETE /users/{userId})
  const id2 = await create(`conformance.check2.${stamp}@example.com`);
  if (id2)
    await step(
      "user.disassociated",
      "DELETE /users/{userId}",
      () => c.users.endpoints.users.deleteUser({ path: { userId: id2 }, query: { action: "disassociate" } }),
      204,
      "(no control)",
      async () => ({ status: 501, headers: new Headers(), text: "no /_sim control for disassociation", json: undefined, url: "" }),
    );
  for (const ev of ["user.activated", "user.disassociated"]) if (!seen(sink, ev)) notes.push(`${ev} did not arrive after the REST call that should cause it`);
}

// recording.completed's download_url with its top-level download_token, as apps download (advisory).
async function downloadCheck(ctx: Ctx, sink: WebhookSink) {
  const d = [...sink.deliveries].reverse().find((x) => x.event === "recording.completed"); // the newest: download_tokens expire
  if (!d) return;
  const ev = JSON.parse(d.raw);
  const f = ev.payload?.object?.recording_files?.[0];
  if (!f?.download_url || !ev.download_token) {
    notes.push("recording.completed: no download_url / download_token to try");
    return;
  }
  const r = await http("GET", f.download_url, { headers: { Authorization: `Bearer ${ev.download_token}` }, redirect: "follow" });
  if (r.status !== 200 || !r.text.length) notes.push(`recording.completed (delivery #${d.seq}): GET download_url with its download_token answered ${r.status}: ${short(r.text, 160)}`);
}

async function revokePhase(ctx: Ctx, sink: WebhookSink) {
  if (!ctx.userToken) {
    table.fail("event", "app_deauthorized", "rivet", "could not trigger app_deauthorized: no user OAuth token to revoke");
    return;
  }
  const r = await http("POST", `${ctx.sim.base}/oauth/revoke?` + new URLSearchParams({ token: ctx.userToken.access }), {
    headers: { Authorization: basic(ctx.oauthApp.clientId, ctx.oauthApp.clientSecret) },
  });
  if (r.status !== 200) {
    table.fail("event", "app_deauthorized", "rivet", `POST /oauth/revoke answered ${r.status}: ${short(r.text)}`);
    return;
  }
  if (!isObj(r.json) || r.json.status !== "success") notes.push(`/oauth/revoke answered ${short(r.text)}; Zoom answers {"status":"success"}`);
  await sink.waitFor(() => seen(sink, "app_deauthorized"), 5000);
}

function judgeEvents(sink: WebhookSink) {
  const types = rivetEventTypes();
  const required = new Map(REQUIRED_EVENTS.map((e) => [e.event, e]));
  // (a) every delivered body, by event name
  for (const d of sink.deliveries) {
    let body: unknown;
    try {
      body = JSON.parse(d.raw);
    } catch {
      notes.push(`delivery #${d.seq} is not JSON: ${short(d.raw)}`);
      continue;
    }
    const ev = isObj(body) && typeof body.event === "string" ? body.event : undefined;
    if (!ev) {
      notes.push(`delivery #${d.seq} has no "event": ${short(d.raw)}`);
      continue;
    }
    const req = required.get(ev);
    const t = req ?? types.get(pascalEvent(ev));
    if (!t) {
      notes.push(`event ${ev}: Rivet 0.4.0 exports no ${pascalEvent(ev)} type; not type-checked`);
      continue;
    }
    const row = table.get("event", req ? ev : `${ev} (extra)`, t.typeName);
    addSample(row.name, `${ev} delivery #${d.seq}`, t.module, t.typeName, body);
    if (!req) {
      if (d.status === 200) table.pass("event", row.name, "rivet");
      else table.fail("event", row.name, "rivet", `delivery #${d.seq} got HTTP ${d.status} from Rivet's receiver: ${short(d.response ?? "")}`);
    }
    // Zoom's delivery conventions that Rivet does not itself enforce (advisory).
    const h = d.headers;
    const ts = String(h["x-zm-request-timestamp"] ?? "");
    if (!/^\d{10}$/.test(ts)) notes.push(`${ev}: x-zm-request-timestamp ${JSON.stringify(ts)} is not epoch seconds`);
    if (!/^application\/json/i.test(String(h["content-type"] ?? ""))) notes.push(`${ev}: content-type ${JSON.stringify(h["content-type"])}`);
    if (d.raw !== JSON.stringify(body)) notes.push(`${ev}: body is not compact JSON as JSON.stringify would write it (Rivet verifies the signature over JSON.stringify(JSON.parse(body)))`);
  }
  // (c) each required event arrived, was verified by Rivet's receiver and reached Rivet's event processor
  for (const e of REQUIRED_EVENTS) {
    const row = table.get("event", e.event, e.typeName);
    const ds = sink.deliveries.filter((d) => d.event === e.event);
    if (e.event === "endpoint.url_validation") {
      const ok = ds.find((d) => d.status === 200);
      if (row.rivet === "FAIL") continue; // subscription refused, reported above
      if (!ds.length) table.fail("event", e.event, "rivet", "the emulator never sent endpoint.url_validation to the subscription URL");
      else if (!ok) table.fail("event", e.event, "rivet", `Rivet's receiver rejected every url_validation (HTTP ${ds.map((d) => d.status).join(",")}: ${short(ds[0].response ?? "")})`);
      else {
        const resp = JSON.parse(ok.response ?? "{}");
        const plain = JSON.parse(ok.raw).payload?.plainToken;
        if (resp.plainToken !== plain || resp.encryptedToken !== hmacHex(cfg.webhookSecret, String(plain)))
          table.fail("event", e.event, "rivet", `Rivet's answer ${ok.response} does not match the challenge`);
        else table.pass("event", e.event, "rivet");
      }
      continue;
    }
    if (row.rivet === "FAIL") continue; // trigger already failed with a reason
    const rec = sink.received.some((r) => r.event === e.event);
    if (rec) table.pass("event", e.event, "rivet");
    else if (ds.length) {
      const bad = ds.filter((d) => d.status !== 200);
      table.fail("event", e.event, "rivet", `${ds.length} deliver${ds.length > 1 ? "ies" : "y"} but Rivet's receiver did not accept ${bad.length ? `(HTTP ${bad[0].status}: ${short(bad[0].response ?? "")})` : "it"}`);
    } else table.fail("event", e.event, "rivet", `never delivered to the webhook URL`);
  }
}

// ---------------------------------------------------------------------------------------------

function parseBannerCreds(banner: string): Partial<Creds> {
  // The emulator prints its credentials on start; pick out the Server-to-Server app if listed.
  const out: Partial<Creds> = {};
  const id = /s2s[^\n]*client[ _-]?id[^\n:=]*[:=]\s*(\S+)/i.exec(banner)?.[1];
  const secret = /s2s[^\n]*client[ _-]?secret[^\n:=]*[:=]\s*(\S+)/i.exec(banner)?.[1];
  if (id) out.clientId = id;
  if (secret) out.clientSecret = secret;
  return out;
}

async function main() {
  const t0 = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  const bin = buildBinary(repoRoot);

  const oauthApp: Creds = { clientId: cfg.clientId, clientSecret: cfg.clientSecret, accountId: cfg.accountId };
  // Event processors come from Rivet clients; the receiver fans verified events out to them.
  const procClients = s2sClients(oauthApp, "http://127.0.0.1:9/unused", new MemoryStore<S2SAuthToken>());
  const sink = new WebhookSink(cfg.webhookSecret, "/zoom/events", {
    meetings: procClients.meetings.webEventConsumer!,
    phone: procClients.phone.webEventConsumer!,
    users: procClients.users.webEventConsumer!,
    marketplace: procClients.marketplace.webEventConsumer!,
  });
  registerListeners(sink, procClients);
  const port = await sink.start();
  const webhookUrl = `http://127.0.0.1:${port}/zoom/events`;

  let sim: Sim | undefined;
  try {
    sim = await startSim(bin, { ...cfg, webhookUrl }, path.join(outDir, "zoomsim.log"));
    log(`zoomsim at ${sim.base}, webhook receiver (Rivet HttpReceiver) at ${webhookUrl}`);
    setOAuthHost(sim.base);
    // Credentials of the Server-to-Server app: GET /_sim/info, else the banner, else the defaults.
    const info = await http("GET", `${sim.base}/_sim/info`);
    const ij = isObj(info.json) ? info.json : {};
    const banner = parseBannerCreds(sim.banner());
    const s2s: Creds = {
      clientId: ij.s2s_client_id ?? banner.clientId ?? `${cfg.clientId}-s2s`,
      clientSecret: ij.s2s_client_secret ?? banner.clientSecret ?? `${cfg.clientSecret}-s2s`,
      accountId: cfg.accountId,
    };
    subscribedUrl = typeof ij.webhook_url === "string" ? ij.webhook_url : undefined;
    if (subscribedUrl !== webhookUrl)
      table.fail("event", "endpoint.url_validation", "rivet", `after the handshake GET /_sim/info shows webhook_url ${JSON.stringify(subscribedUrl)}, not ${webhookUrl}: the subscription was refused (${short(sim.banner().split("\n").filter((l) => /webhook/i.test(l)).join(" "))})`);
    const ctx: Ctx = { sim, s2s, oauthApp, simNow: new Date() };
    ctx.simNow = await simNow(sim);
    log(`sim clock: ${ctx.simNow.toISOString()}`);

    await sink.waitFor(() => sink.deliveries.some((d) => d.event === "endpoint.url_validation" && d.status !== undefined), 5000);
    await advancePhase(ctx, sink);
    await oauthPhase(ctx, sink);
    const rest = await restPhase(ctx);
    if (rest) await userLifecycle(ctx, sink, rest.c);
    else for (const ev of ["user.created", "user.updated", "user.deactivated", "user.deleted"]) table.fail("event", ev, "rivet", "not triggered: the REST phase found no users");
    await downloadCheck(ctx, sink);
    await recordingsPhase(sim.base, sim.api, ctx.s2sToken, sink, table);
    await revokePhase(ctx, sink);
    await sleep(300);
  } catch (e) {
    table.fail("oauth", "harness", "rivet", `aborted: ${(e as Error).stack ?? e}`);
  } finally {
    await sim?.stop();
    await sink.stop().catch(() => undefined);
    fs.rmSync(path.dirname(bin), { recursive: true, force: true }); // the temporary build
  }

  judgeEvents(sink);
  fs.writeFileSync(path.join(outDir, "deliveries.json"), JSON.stringify(sink.deliveries, null, 1));
  log(`type-checking ${samples.length} samples against @zoom/rivet 0.4.0 types ...`);
  const shapes = checkShapes(samples, path.join(outDir, "samples"));
  for (const [rowName, r] of shapes.rows) {
    const row = table.rows.find((x) => x.name === rowName)!;
    row.samples = captured.get(rowName) ?? r.samples;
    if (r.failed) table.fail(row.section, rowName, "shape", "type errors (see mismatches)");
    else if (row.shape !== "FAIL") table.pass(row.section, rowName, "shape");
  }
  for (const row of table.rows) {
    if (row.section !== "oauth" && row.shapeType && row.samples === 0 && row.shape !== "FAIL") {
      table.fail(row.section, row.name, "shape", "nothing was captured to type-check");
    }
  }

  const out: string[] = [];
  out.push("", "zoomsim conformance against @zoom/rivet 0.4.0", "", renderTable(table), "");
  const failedRows = table.rows.filter((r) => r.problems.length);
  if (failedRows.some((r) => r.problems.some((p) => p !== "type errors (see mismatches)"))) {
    out.push("Failures:");
    for (const r of failedRows) for (const p of [...new Set(r.problems)]) if (p !== "type errors (see mismatches)") out.push(`- ${r.name}: ${p}`);
    out.push("");
  }
  const mm = renderMismatches(shapes.mismatches);
  if (mm) out.push(`Type mismatches (emulator output vs Rivet's types; ${shapes.mismatches.length} distinct):`, mm, "");
  if (missing.length) out.push("Missing in the emulator:", ...[...new Set(missing)].map((n) => `- ${n}`), "");
  if (notes.length) out.push("Advisory (not enforced by Rivet):", ...[...new Set(notes)].map((n) => `- ${n}`), "");
  const passed = table.rows.filter((r) => r.shape !== "FAIL" && r.rivet !== "FAIL").length;
  const failed = table.rows.length - passed;
  out.push(`samples type-checked: ${samples.length} in ${(shapes.elapsedMs / 1000).toFixed(1)}s; total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  out.push(`conformance: ${passed} passed, ${failed} failed`);
  const text = out.join("\n");
  console.log(text);
  fs.writeFileSync(path.join(outDir, "report.txt"), text + "\n");
  process.exitCode = table.failed() ? 1 : 0;
}

main().catch((e) => {
  console.error("conformance suite crashed:", e);
  process.exit(2);
});
