// Shape conformance: every captured REST response / webhook body is checked against
// Rivet's exported TypeScript types with the TypeScript compiler (strict mode).
//
// A whole-object assignment `const x: T = {...}` stops at the first excess property
// of each object literal, so one wrong field would hide the next. Instead every
// object node of the JSON document is split into small declarations that the
// compiler checks independently:
//   - each key must be a key of Rivet's type for that node (excess-property check),
//   - each primitive value must be assignable to Rivet's type for that key,
//   - each object/array value must be of the kind Rivet declares,
//   - every property Rivet marks as required must be present.
// The generated files stay in .out/samples/ and can be re-checked by hand with
// `npx tsc -p .out/samples`.
import ts from "typescript";
import fs from "node:fs";
import path from "node:path";

export interface Sample {
  row: string; // summary-table row this sample belongs to
  label: string; // what was fetched/received, for messages
  module: string; // "@zoom/rivet/users", ... or "./local-types.js"
  typeName: string;
  value: unknown;
}

export type CheckKind = "unexpected-property" | "wrong-type" | "wrong-kind" | "missing-required" | "compile-error";

export interface Mismatch {
  row: string;
  typeName: string;
  path: string; // JSON path with array indexes normalised to [*]
  kind: CheckKind;
  detail: string;
  example: string; // first offending sample label + value
  count: number;
}

const HELPERS = `// Helpers used by the generated sample checks (see conformance/src/shapes.ts).
export type P<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? NonNullable<T[K]> : never) : never;
type NonArrObj<X> = Exclude<Extract<X, object>, readonly unknown[]>;
export type ObjNode<X> = unknown extends X ? unknown : [NonArrObj<X>] extends [never] ? unknown : NonArrObj<X>;
export type ArrElem<X> = [Extract<X, readonly unknown[]>] extends [never] ? never : Extract<X, readonly unknown[]>[number];
export type Sub<X> = [X] extends [never] ? unknown : X;
export type KeyCheck<T> = unknown extends T ? string : T extends unknown ? keyof T : never;
type KindOf<X> = X extends readonly unknown[] ? "array" : X extends object ? "object" : X extends string ? "string" : X extends number ? "number" : X extends boolean ? "boolean" : "other";
export type KindCheck<X> = [X] extends [never] ? string : unknown extends X ? string : KindOf<X>;
type ReqKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
export type MissingCheck<T, Present> = unknown extends T ? "ok" : [Exclude<ReqKeys<T>, Present>] extends [never] ? "ok" : { missing_required: Exclude<ReqKeys<T>, Present> };
`;

// Types Zoom documents but Rivet does not export.
const LOCAL_TYPES = `// Types for payloads that Zoom documents but @zoom/rivet 0.4.0 does not export.
// endpoint.url_validation: https://developers.zoom.us/docs/api/webhooks/ (see shared/docs/zoom-api.md section 5.4).
// Rivet's receiver itself only reads event === "endpoint.url_validation" and payload.plainToken (string).
export type UrlValidationEvent = {
  event: "endpoint.url_validation";
  event_ts: number;
  payload: { plainToken: string };
};
`;

interface LineInfo {
  path: string;
  check: "key" | "value" | "kind" | "required";
  value?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const childPath = (p: string, k: string) => (IDENT.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`);

class Gen {
  lines: string[] = [];
  info = new Map<number, LineInfo>();
  private n = 0;
  emit(line: string, info?: LineInfo) {
    this.lines.push(line);
    if (info) this.info.set(this.lines.length, info);
  }
  node(typeExpr: string, value: Record<string, unknown>, p: string) {
    const id = this.n++;
    const T = `N${id}`;
    this.emit(`type ${T} = ObjNode<${typeExpr}>;`);
    const keys = Object.keys(value);
    const present = keys.length ? keys.map((k) => JSON.stringify(k)).join(" | ") : "never";
    this.emit(`const m${id}: MissingCheck<${T}, ${present}> = "ok";`, { path: p, check: "required" });
    keys.forEach((k, i) => {
      const v = value[k];
      const cp = childPath(p, k);
      const K = JSON.stringify(k);
      this.emit(`const k${id}_${i}: KeyCheck<${T}> = ${K};`, { path: cp, check: "key" });
      if (isObj(v)) {
        this.emit(`const v${id}_${i}: KindCheck<P<${T}, ${K}>> = "object";`, { path: cp, check: "kind", value: v });
        this.node(`P<${T}, ${K}>`, v, cp);
      } else if (Array.isArray(v) && v.some((e) => typeof e === "object" && e !== null)) {
        this.emit(`const v${id}_${i}: KindCheck<P<${T}, ${K}>> = "array";`, { path: cp, check: "kind", value: v });
        const seenSig = new Set<string>();
        v.forEach((e, j) => {
          // Elements with the same shape signature would produce the same findings: check one.
          const sig = signature(e);
          if (seenSig.has(sig)) return;
          seenSig.add(sig);
          const ep = `${cp}[${j}]`;
          if (isObj(e)) this.node(`ArrElem<P<${T}, ${K}>>`, e, ep);
          else
            this.emit(`const e${id}_${i}_${j}: Sub<ArrElem<P<${T}, ${K}>>> = ${JSON.stringify(e)};`, {
              path: ep,
              check: "value",
              value: e,
            });
        });
      } else {
        this.emit(`const v${id}_${i}: Sub<P<${T}, ${K}>> = ${JSON.stringify(v)};`, { path: cp, check: "value", value: v });
      }
    });
  }
}

// "NonNullable<1 | 2 | undefined>" -> "1 | 2"; "\"array\"" -> "array"
const cleanType = (t: string | undefined) => {
  if (t === undefined) return undefined;
  let u = t;
  const nn = /^NonNullable<(.*)>$/.exec(u);
  if (nn) u = nn[1];
  u = u.replace(/ \| undefined/g, "");
  if (/^"(array|object)"$/.test(u)) u = u.slice(1, -1);
  return u;
};
// A shape signature: keys, value kinds, and the values that look like enumerations (short
// codes, lowercase words, small integers). Bodies or elements with equal signatures get the same
// verdict from the checks above, so only one of them needs compiling.
export function signature(v: unknown): string {
  if (Array.isArray(v)) return "[" + [...new Set(v.map(signature))].sort().join(",") + "]";
  if (isObj(v))
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + signature(v[k])).join(",") + "}";
  if (typeof v === "string")
    return /^(?=.*[A-Z])[A-Z0-9_]{1,12}$/.test(v) || /^[a-z][a-z_().\/ -]{0,60}$/.test(v) ? JSON.stringify(v) : v === "" ? '""' : "s";
  if (typeof v === "number") return Number.isInteger(v) && ((v >= -1 && v <= 10) || v === 99) ? String(v) : Number.isInteger(v) ? "i" : "f";
  return JSON.stringify(v);
}

const norm = (p: string) => p.replace(/\[\d+\]/g, "[*]");
const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 90 ? s.slice(0, 87) + "..." : s;
};

export interface ShapeResult {
  mismatches: Mismatch[];
  checkedSamples: number;
  rows: Map<string, { samples: number; failed: boolean }>;
  elapsedMs: number;
}

export function checkShapes(samples: Sample[], outDir: string): ShapeResult {
  const t0 = Date.now();
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "_helpers.ts"), HELPERS);
  fs.writeFileSync(path.join(outDir, "local-types.ts"), LOCAL_TYPES);
  const compilerOptions: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noErrorTruncation: true,
    types: [],
  };
  fs.writeFileSync(
    path.join(outDir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          skipLibCheck: true,
          noErrorTruncation: true,
          types: [],
        },
        include: ["*.ts"],
      },
      null,
      2,
    ),
  );

  const files: string[] = [];
  const meta = new Map<string, { sample: Sample; info: Map<number, LineInfo> }>();
  samples.forEach((s, i) => {
    const g = new Gen();
    g.emit(`// ${s.label}`);
    g.emit(`// checked against ${s.typeName} from ${s.module}`);
    g.emit(`import type { ${s.typeName} as R } from ${JSON.stringify(s.module)};`);
    g.emit(`import type { P, ObjNode, ArrElem, Sub, KeyCheck, KindCheck, MissingCheck } from "./_helpers.js";`);
    if (isObj(s.value)) g.node("R", s.value, "$");
    else g.emit(`const top: R = ${JSON.stringify(s.value)};`, { path: "$", check: "value", value: s.value });
    g.emit("export {};");
    const name = `s${String(i).padStart(4, "0")}_${s.typeName}.ts`;
    const file = path.join(outDir, name);
    fs.writeFileSync(file, g.lines.join("\n") + "\n");
    files.push(file);
    meta.set(path.resolve(file), { sample: s, info: g.info });
  });

  const program = ts.createProgram(files, compilerOptions);
  const diags = ts.getPreEmitDiagnostics(program);
  const groups = new Map<string, Mismatch>();
  const rows = new Map<string, { samples: number; failed: boolean }>();
  for (const s of samples) {
    const r = rows.get(s.row) ?? { samples: 0, failed: false };
    r.samples++;
    rows.set(s.row, r);
  }
  const add = (s: Sample, p: string, kind: CheckKind, detail: string, example: string) => {
    const key = [s.row, s.typeName, norm(p), kind, detail].join("\u0000");
    const m = groups.get(key);
    if (m) m.count++;
    else groups.set(key, { row: s.row, typeName: s.typeName, path: norm(p), kind, detail, example, count: 1 });
    rows.get(s.row)!.failed = true;
  };
  for (const d of diags) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const m = d.file ? meta.get(path.resolve(d.file.fileName)) : undefined;
    if (!m || !d.file || d.start === undefined) {
      // Not inside a sample (e.g. the Rivet package failed to resolve): fail every row loudly.
      for (const s of samples) add(s, "$", "compile-error", msg, "(global)");
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    const info = m.info.get(line);
    const s = m.sample;
    if (!info) {
      add(s, "$", "compile-error", msg, s.label);
      continue;
    }
    const expected = cleanType(/is not assignable to type '(.+?)'\.?(\n|$)/.exec(msg)?.[1]);
    switch (info.check) {
      case "key":
        add(s, info.path, "unexpected-property", "property is not in Rivet's type (excess property)", s.label);
        break;
      case "required": {
        const miss = /missing_required: (.+?);? \}/.exec(msg)?.[1] ?? msg;
        for (const k of miss.split(" | ")) {
          const kk = k.replace(/^"|"$/g, "");
          add(s, childPath(info.path, kk), "missing-required", "required by Rivet's type but absent", s.label);
        }
        break;
      }
      case "kind": {
        const got = Array.isArray(info.value) ? "array" : "object";
        add(s, info.path, "wrong-kind", `emulator sends ${got}, Rivet expects ${expected ?? msg}`, `${s.label}: ${show(info.value)}`);
        break;
      }
      case "value":
        add(
          s,
          info.path,
          "wrong-type",
          `Rivet expects ${expected ?? msg}`,
          `${s.label}: ${show(info.value)}`,
        );
        break;
    }
  }
  return { mismatches: [...groups.values()], checkedSamples: samples.length, rows, elapsedMs: Date.now() - t0 };
}
