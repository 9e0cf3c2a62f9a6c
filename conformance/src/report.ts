// Summary table and mismatch list.
import type { Mismatch } from "./shapes.js";

export type Verdict = "pass" | "FAIL" | "-";

export interface Row {
  section: "oauth" | "rest" | "event";
  name: string;
  shape: Verdict; // (a) type-check against Rivet's exported type
  shapeType: string; // the Rivet type (or local type) used
  samples: number;
  rivet: Verdict; // (b) Rivet endpoint client call / (c) Rivet receiver verified delivery
  problems: string[]; // why a column failed
}

export class Table {
  rows: Row[] = [];
  get(section: Row["section"], name: string, shapeType = "") {
    let r = this.rows.find((x) => x.section === section && x.name === name);
    if (!r) {
      r = { section, name, shape: "-", shapeType, samples: 0, rivet: "-", problems: [] };
      this.rows.push(r);
    }
    if (shapeType && !r.shapeType) r.shapeType = shapeType;
    return r;
  }
  fail(section: Row["section"], name: string, col: "shape" | "rivet", problem: string) {
    const r = this.get(section, name);
    r[col] = "FAIL";
    r.problems.push(problem);
  }
  pass(section: Row["section"], name: string, col: "shape" | "rivet") {
    const r = this.get(section, name);
    if (r[col] !== "FAIL") r[col] = "pass";
  }
  failed() {
    return this.rows.some((r) => r.shape === "FAIL" || r.rivet === "FAIL");
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

export function renderTable(t: Table): string {
  const head = ["section", "endpoint / event", "(a) shape vs Rivet type", "n", "(b)/(c) Rivet client / receiver"];
  const body = t.rows.map((r) => [
    r.section,
    r.name,
    r.shape === "-" ? "-" : `${r.shape} ${r.shapeType}`,
    String(r.samples),
    r.rivet,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => pad(c, w[i])).join(" | ") + " |";
  return [line(head), "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|", ...body.map(line)].join("\n");
}

export function renderMismatches(ms: Mismatch[]): string {
  if (!ms.length) return "";
  const sorted = [...ms].sort((a, b) => (a.row + a.path).localeCompare(b.row + b.path));
  return sorted
    .map(
      (m) =>
        `- ${m.row} [${m.typeName}] ${m.path}: ${m.kind}: ${m.detail}` +
        (m.kind === "wrong-type" || m.kind === "wrong-kind" ? ` — e.g. ${m.example}` : "") +
        ` (${m.count}x)`,
    )
    .join("\n");
}
