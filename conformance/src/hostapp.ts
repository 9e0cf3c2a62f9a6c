// A scripted host app against zoombridge's REST API (issue 11, Must show 2): its client is typed
// from the OpenAPI document by openapi-typescript (src/generated/api.ts, made by `npm run gen`
// from internal/api/openapi.json, which the app checks is the document the server serves). It
// creates a person, reads activities incrementally, registers a webhook endpoint, receives
// events and verifies each with the Standard Webhooks library; a tampered body and an old
// timestamp must be rejected by that library. See conformance/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import createClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import type { paths, components } from "./generated/api.js";
import { buildBinary } from "./emulator.js";
import { freePort, sleep } from "./util.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const docFile = path.join(repoRoot, "internal", "api", "openapi.json");
const log = (...a: unknown[]) => console.log(...a);

type Activity = components["schemas"]["Activity"];

// ---------------------------------------------------------------------------------------------
// Checks: each is a named verdict; the run fails if any fails.
const results: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail = "") {
  results.push({ name, ok, detail });
  log(`${ok ? "pass" : "FAIL"}  ${name}${detail ? `: ${detail}` : ""}`);
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// The demo server: the whole product on SQLite with its embedded Zoom emulator.
interface Demo {
  base: string;
  owner: string;
  proc: ChildProcess;
  stop: () => Promise<void>;
}

async function startDemo(bin: string, password: string, logFile: string): Promise<Demo> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zoombridge-hostapp-"));
  const out = fs.createWriteStream(logFile);
  // Endpoints on loopback are refused unless allowed: the receiver below is on 127.0.0.1.
  const env = { ...process.env, ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS: "127.0.0.0/8" };
  const proc = spawn(bin, ["demo", "--addr", `127.0.0.1:${port}`, "--data-dir", dataDir, "--password", password], { env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  proc.stdout!.on("data", (b: Buffer) => ((text += b.toString()), out.write(b)));
  proc.stderr!.on("data", (b: Buffer) => ((text += b.toString()), out.write(b)));
  const m = await until("the demo's banner", 60_000, () => {
    if (proc.exitCode !== null) throw new Error(`zoombridge demo exited with ${proc.exitCode}:\n${text.slice(-2000)}`);
    const url = /running at (http:\/\/\S+)/.exec(text);
    const owner = /sign in as (\S+) \(Owner\)/.exec(text);
    return url && owner ? { base: url[1], owner: owner[1] } : undefined;
  });
  return {
    ...m,
    proc,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await Promise.race([new Promise((r) => proc.once("exit", r)), sleep(10_000)]);
        if (proc.exitCode === null) proc.kill("SIGKILL");
      }
      out.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The admin app, as an Owner in a browser would use it: sign in, make an API key with both scopes.
class Browser {
  cookies = new Map<string, string>();
  constructor(private base: string) {}
  async req(method: string, p: string, form?: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form ?? {})) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await fetch(this.base + p, {
      method,
      redirect: "manual",
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(form ? { "content-type": "application/x-www-form-urlencoded", origin: this.base, "sec-fetch-site": "same-origin" } : {}),
      },
      body: form ? body : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(";");
      const i = kv.indexOf("=");
      this.cookies.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get("location") ?? "", text: await res.text() };
  }
  static csrf(html: string) {
    const m = /name="csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error("no CSRF token on the page");
    return m[1];
  }
}

async function makeKey(base: string, owner: string, password: string): Promise<string> {
  const b = new Browser(base);
  const signin = await b.req("GET", "/signin");
  const done = await b.req("POST", "/signin", { email: owner, password, csrf: Browser.csrf(signin.text) });
  if (done.status !== 303) throw new Error(`sign-in answered ${done.status}`);
  const page = await b.req("GET", "/services/api");
  let made = await b.req("POST", "/services/api/keys", { name: "Host app", scope: ["read", "write"], csrf: Browser.csrf(page.text) });
  if (made.status === 303) made = await b.req("GET", made.location); // the page that shows the new key once
  const key = /data-copy>(zb_[a-z2-7_]+)</.exec(made.text);
  if (made.status !== 200 || !key) throw new Error(`making a key answered ${made.status}`);
  return key[1];
}

// ---------------------------------------------------------------------------------------------
// The host app's webhook receiver: keeps every request exactly as received.
interface Received {
  headers: Record<string, string>;
  body: string;
}

function startReceiver(): Promise<{ url: string; got: Received[]; stop: () => Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      got.push({ headers, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const a = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${a.port}/hooks/zoombridge`, got, stop: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

// ---------------------------------------------------------------------------------------------
async function hostApp(base: string, key: string, receiver: Awaited<ReturnType<typeof startReceiver>>) {
  // The types were generated from the checked-in document: it must be what the server serves.
  const served = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  const file = JSON.parse(fs.readFileSync(docFile, "utf8"));
  check("served /api/v1/openapi.json is the document the client is typed from", JSON.stringify(served) === JSON.stringify(file));

  const api = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${key}` } });
  const stamp = Date.now();

  // 1. Create a person, retrying with the same Idempotency-Key as a host app does after a timeout.
  const email = `host.app.${stamp}@example.com`;
  const idem = { params: { header: { "Idempotency-Key": `create-${stamp}` } } };
  const made = await api.POST("/api/v1/people", { ...idem, body: { email, name: "Made by the host app", team: "Integrations" } });
  check("POST /api/v1/people creates a person (201)", made.response.status === 201 && made.data?.email === email, `${made.response.status}`);
  const again = await api.POST("/api/v1/people", { ...idem, body: { email, name: "Made by the host app", team: "Integrations" } });
  check(
    "the retry with the same Idempotency-Key gets the same answer, no second person",
    again.response.status === 201 && again.data?.id === made.data?.id && again.response.headers.get("Idempotent-Replayed") === "true",
  );
  const got = await api.GET("/api/v1/people/{person}", { params: { path: { person: email } } });
  const etag = got.response.headers.get("ETag") ?? "";
  const cached = await api.GET("/api/v1/people/{person}", { params: { path: { person: email }, header: { "If-None-Match": etag } } });
  check("GET by email, then 304 with its ETag", got.data?.id === made.data?.id && etag !== "" && cached.response.status === 304);
  const limit = Number(got.response.headers.get("RateLimit-Limit"));
  check("answers carry RateLimit-Limit/Remaining/Reset", limit > 0 && got.response.headers.has("RateLimit-Remaining") && got.response.headers.has("RateLimit-Reset"));

  // 2. Read activities incrementally: every page of changes since the start, then again from the
  // latest updated_at seen (which may repeat activities of that instant, never skip one).
  const seen = new Map<number, Activity>();
  let since = "1970-01-01T00:00:00Z";
  let pages = 0;
  // The demo is still backfilling when the app starts: poll, as an incremental reader does.
  await until("the demo's first activities", 90_000, async () => {
    for (let cursor: string | undefined; ; pages++) {
      const page = await api.GET("/api/v1/activities", { params: { query: { updated_since: since, limit: 50, cursor } } });
      if (!page.data) throw new Error(`GET /api/v1/activities: ${page.response.status}`);
      for (const a of page.data.data) seen.set(a.id, a);
      if (!page.data.next_cursor) break;
      cursor = page.data.next_cursor;
    }
    return seen.size > 0 ? true : undefined;
  });
  const latest = [...seen.values()].reduce((m, a) => (a.updated_at > m ? a.updated_at : m), since);
  check("activities?updated_since= pages through the demo's activities", seen.size > 0, `${seen.size} activities in ${pages} pages read`);
  since = latest;
  const next = await api.GET("/api/v1/activities", { params: { query: { updated_since: since, limit: 500 } } });
  const rest = next.data?.data ?? [];
  check(
    "reading again from the latest updated_at lists only changes at or after it, in order",
    next.response.status === 200 && rest.every((a, i) => a.updated_at >= since && (i === 0 || rest[i - 1].updated_at <= a.updated_at)),
    `${rest.length} activities`,
  );

  // 3. Register a webhook endpoint for the person events.
  const reg = await api.POST("/api/v1/webhook-endpoints", {
    params: { header: { "Idempotency-Key": `endpoint-${stamp}` } },
    body: { url: receiver.url, event_types: ["person.created", "person.updated", "person.deactivated"], description: "conformance host app" },
  });
  const secret = reg.data?.secret ?? "";
  check("POST /api/v1/webhook-endpoints registers the receiver and shows a whsec_ secret once", reg.response.status === 201 && secret.startsWith("whsec_"), `${reg.response.status}`);
  if (!secret.startsWith("whsec_")) return;

  // 4. Changes made now arrive as signed events, each verified by the Standard Webhooks library.
  const other = `host.app.events.${stamp}@example.com`;
  const created = await api.POST("/api/v1/people", { body: { email: other, name: "Evented" } });
  const pid = String(created.data?.id ?? 0);
  await api.PATCH("/api/v1/people/{person}", { params: { path: { person: pid } }, body: { team: "Renamed team" } });
  await api.POST("/api/v1/people/{person}/deactivate", { params: { path: { person: pid } } });
  const want = ["person.created", "person.updated", "person.deactivated"];
  const wh = new Webhook(secret);
  type Event = { type: string; timestamp: string; data: { id?: number; email?: string } };
  const verified: { msg: Received; ev: Event }[] = [];
  try {
    await until("the three person events", 60_000, () => {
      for (const msg of receiver.got.splice(0)) {
        try {
          verified.push({ msg, ev: wh.verify(msg.body, msg.headers) as Event });
        } catch (e) {
          check("a delivered event verifies", false, String(e));
        }
      }
      const mine = verified.filter((v) => v.ev.data?.email === other).map((v) => v.ev.type);
      return want.every((t) => mine.includes(t)) ? true : undefined;
    });
    check("person.created, person.updated and person.deactivated arrive and verify", true);
  } catch (e) {
    const types = verified.map((v) => v.ev.type).join(", ");
    check("person.created, person.updated and person.deactivated arrive and verify", false, `${e}; verified: ${types || "none"}`);
  }
  if (verified.length === 0) return;

  // 5. The library refuses a tampered body, and an old timestamp even when correctly signed.
  const { msg } = verified[0];
  const tampered = msg.body.replace(/"type":\s*"/, '"type": "x');
  let refused = false;
  try {
    wh.verify(tampered, msg.headers);
  } catch {
    refused = true;
  }
  check("a tampered body is rejected by standardwebhooks", refused && tampered !== msg.body);
  const old = new Date(Date.now() - 10 * 60 * 1000);
  const oldHeaders = {
    "webhook-id": msg.headers["webhook-id"],
    "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
    "webhook-signature": wh.sign(msg.headers["webhook-id"], old, msg.body),
  };
  refused = false;
  try {
    wh.verify(msg.body, oldHeaders);
  } catch (e) {
    refused = /too old/i.test(String(e));
  }
  check("a correctly signed message with a 10-minute-old timestamp is rejected by standardwebhooks", refused);
}

async function main() {
  const bin = buildBinary(repoRoot);
  const outDir = path.join(here, "..", ".out");
  fs.mkdirSync(outDir, { recursive: true });
  const password = `host-app-${Date.now()}`;
  const receiver = await startReceiver();
  let demo: Demo | undefined;
  try {
    demo = await startDemo(bin, password, path.join(outDir, "hostapp-demo.log"));
    log(`zoombridge demo at ${demo.base}; webhook receiver at ${receiver.url}`);
    const key = await makeKey(demo.base, demo.owner, password);
    await hostApp(demo.base, key, receiver);
  } catch (e) {
    check("host app run", false, (e as Error).stack ?? String(e));
  } finally {
    await demo?.stop();
    await receiver.stop();
    fs.rmSync(path.dirname(bin), { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  log(`\nhost app against the REST API: ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
