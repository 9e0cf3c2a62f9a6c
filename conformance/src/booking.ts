// Rows for what zoombridge's booking links need of Zoom (issue 14): a
// meeting created on a user's account shows on GET /users/{userId}/upcoming_meetings
// at its start, moves there on PATCH and leaves it on DELETE; and with a
// Server-to-Server token, "me" in a path is the app's creator (the owner).
import type { Table } from "./report.js";
import type { HttpResult } from "./util.js";
import { short } from "./util.js";

// What run.ts lends these rows: its REST helpers, its Rivet client, a user.
export interface BookingKit {
  table: Table;
  api: (method: string, p: string, opts?: { query?: Record<string, string | number>; body?: unknown }) => Promise<HttpResult>;
  expectJSON: (row: string, r: HttpResult, want: number[]) => Record<string, unknown> | undefined;
  addSample: (row: string, label: string, module: string, typeName: string, value: unknown) => void;
  rivetRow: (row: string, what: string, fn: () => Promise<{ statusCode: number; data?: unknown }>, want?: number[]) => Promise<{ statusCode: number; data?: unknown } | undefined>;
  meetings: any; // Rivet's MeetingsEndpoints with the S2S token
  hostId: string;
  ownerId: string; // the account owner, who created the S2S app
  now: Date;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export async function bookingRows(k: BookingKit) {
  const { table } = k;
  const row = "GET /users/{userId}/upcoming_meetings";
  table.get("rest", row, "MeetingsListUpcomingMeetingsResponse");
  const start = new Date(k.now.getTime() + 2 * 86400_000);
  start.setUTCMinutes(0, 0, 0);
  const created = k.expectJSON(row, await k.api("POST", `/users/${encodeURIComponent(k.hostId)}/meetings`, {
    body: { topic: "Booked call", type: 2, start_time: iso(start), duration: 30, timezone: "America/New_York" },
  }), [201]);
  const id = created && typeof created.id === "number" ? created.id : undefined;
  const upcoming = async (label: string) => {
    const j = k.expectJSON(row, await k.api("GET", `/users/${encodeURIComponent(k.hostId)}/upcoming_meetings`), [200]);
    if (!j) return [];
    k.addSample(row, `GET /v2/users/${k.hostId}/upcoming_meetings (${label})`, "@zoom/rivet/meetings", "MeetingsListUpcomingMeetingsResponse", j);
    return Array.isArray(j.meetings) ? (j.meetings as Record<string, unknown>[]) : [];
  };
  if (id === undefined) table.fail("rest", row, "shape", "POST /users/{userId}/meetings created nothing to look for");
  else {
    const first = (await upcoming("after create")).find((m) => m.id === id);
    if (!first || first.start_time !== iso(start) || first.join_url !== created!.join_url)
      table.fail("rest", row, "shape", `the new meeting is not listed at ${iso(start)} with its join_url: ${short(JSON.stringify(first))}`);
    const moved = new Date(start.getTime() + 3600_000);
    const p = await k.api("PATCH", `/meetings/${id}`, { body: { start_time: iso(moved) } });
    const after = (await upcoming("after update")).find((m) => m.id === id);
    if (p.status !== 204 || !after || after.start_time !== iso(moved) || after.join_url !== created!.join_url)
      table.fail("rest", row, "shape", `after PATCH (HTTP ${p.status}) the meeting is listed as ${short(JSON.stringify(after))}, want ${iso(moved)} and the same join_url`);
    const d = await k.api("DELETE", `/meetings/${id}`);
    if (d.status !== 204 || (await upcoming("after delete")).some((m) => m.id === id))
      table.fail("rest", row, "shape", `after DELETE (HTTP ${d.status}) the meeting is still upcoming`);
  }
  await k.rivetRow(row, "meetings.meetings.listUpcomingMeetings", () => k.meetings.listUpcomingMeetings({ path: { userId: k.hostId } }));

  const me = "POST /users/me/meetings (Server-to-Server)";
  table.get("rest", me, "MeetingsCreateMeetingResponse");
  const body = { topic: "Made for me", type: 2 as const, start_time: iso(start), duration: 30, timezone: "UTC" };
  const j = k.expectJSON(me, await k.api("POST", "/users/me/meetings", { body }), [201]);
  if (j) {
    k.addSample(me, "POST /v2/users/me/meetings (S2S token)", "@zoom/rivet/meetings", "MeetingsCreateMeetingResponse", j);
    const g = k.expectJSON(me, await k.api("GET", `/meetings/${j.id}`), [200]);
    if (g && g.host_id !== k.ownerId) table.fail("rest", me, "shape", `the meeting's host_id is ${g.host_id}, not the app's creator ${k.ownerId}`);
  }
  const rc = await k.rivetRow(me, "meetings.meetings.createMeeting(me)", () => k.meetings.createMeeting({ path: { userId: "me" }, body }), [201]);
  const rid = (rc?.data as { id?: number } | undefined)?.id;
  for (const mid of [j?.id, rid]) if (typeof mid === "number") await k.api("DELETE", `/meetings/${mid}`);
}
