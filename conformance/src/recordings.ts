// The recording and AI summary lifecycle (zoombridge issue 13): what people do to recordings and
// summaries in Zoom, each with its event, type-checked against Rivet by judgeEvents like every
// delivery; and download access tokens whose TTL the file URLs enforce.
import type { Table } from "./report.js";
import type { WebhookSink } from "./rivet.js";
import { http, isObj, short } from "./util.js";

export const LIFECYCLE_EVENTS = [
  "recording.trashed",
  "recording.recovered",
  "recording.renamed",
  "recording.deleted",
  "meeting.summary_updated",
  "meeting.summary_trashed",
  "meeting.summary_recovered",
  "meeting.summary_deleted",
];

export async function recordingsPhase(base: string, apiBase: string, token: string | undefined, sink: WebhookSink, table: Table) {
  // A meeting with both a recording and a summary, from what the emulator already delivered.
  const done = (ev: string) => new Set(sink.deliveries.filter((d) => d.event === ev).map((d) => uuidOf(d.raw)));
  const summaries = done("meeting.summary_completed");
  const uuid = [...done("recording.completed")].find((u) => u && summaries.has(u));
  if (!uuid) {
    for (const ev of LIFECYCLE_EVENTS) table.fail("event", `${ev} (extra)`, "rivet", "not triggered: no meeting had both a recording and a summary");
    return;
  }
  if (token) await downloadTokenTTL(base, apiBase, token, uuid, table);
  const u = encodeURIComponent(uuid);
  const steps: [string, string][] = [
    [`/_sim/recordings/${u}/trash`, "recording.trashed"],
    [`/_sim/recordings/${u}/recover`, "recording.recovered"],
    [`/_sim/recordings/${u}/rename?topic=Renamed%20by%20conformance`, "recording.renamed"],
    [`/_sim/summaries/${u}/update?overview=Edited%20by%20conformance`, "meeting.summary_updated"],
    [`/_sim/summaries/${u}/trash`, "meeting.summary_trashed"],
    [`/_sim/summaries/${u}/recover`, "meeting.summary_recovered"],
    [`/_sim/summaries/${u}/delete`, "meeting.summary_deleted"],
    [`/_sim/recordings/${u}/delete`, "recording.deleted"],
  ];
  for (const [p, ev] of steps) {
    const r = await http("POST", base + p);
    if (r.status !== 200) {
      table.fail("event", `${ev} (extra)`, "rivet", `POST ${p} answered ${r.status}: ${short(r.text)}`);
      continue;
    }
    await sink.waitFor(() => sink.deliveries.some((d) => d.event === ev), 5000);
    if (!sink.deliveries.some((d) => d.event === ev)) table.fail("event", `${ev} (extra)`, "rivet", "never delivered to the webhook URL");
  }
}

function uuidOf(raw: string): string | undefined {
  try {
    const o = JSON.parse(raw)?.payload?.object;
    return o?.uuid ?? o?.meeting_uuid;
  } catch {
    return undefined;
  }
}

// GET /meetings/{uuid}/recordings?include_fields=download_access_token&ttl=60: the token opens the
// file now, and the emulator refuses it once 60 sim seconds have passed.
async function downloadTokenTTL(base: string, apiBase: string, token: string, uuid: string, table: Table) {
  const row = "download_access_token ttl";
  table.get("rest", row);
  const q = new URLSearchParams({ include_fields: "download_access_token", ttl: "60" });
  const r = await http("GET", `${apiBase}/meetings/${encodeURIComponent(encodeURIComponent(uuid))}/recordings?${q}`, { headers: { Authorization: `Bearer ${token}` } });
  const j = isObj(r.json) ? r.json : {};
  const file = (j.recording_files ?? []).find((f: any) => f.file_type === "MP4");
  if (r.status !== 200 || typeof j.download_access_token !== "string" || !file) {
    table.fail("rest", row, "rivet", `answered ${r.status} without a download_access_token and an MP4: ${short(r.text)}`);
    return;
  }
  const url = `${file.download_url}?access_token=${encodeURIComponent(j.download_access_token)}`;
  const now = await http("GET", url, { redirect: "follow" });
  await http("POST", `${base}/_sim/advance?seconds=61`);
  const later = await http("GET", url, { redirect: "follow" });
  if (now.status === 200 && later.status === 401) table.pass("rest", row, "rivet");
  else table.fail("rest", row, "rivet", `the file answered ${now.status} with a fresh token and ${later.status} after its TTL (want 200 then 401)`);
}
