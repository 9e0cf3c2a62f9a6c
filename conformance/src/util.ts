import net from "node:net";
import { createHmac } from "node:crypto";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      if (a && typeof a === "object") {
        const p = a.port;
        s.close(() => resolve(p));
      } else reject(new Error("no port"));
    });
  });
}

export const hmacHex = (key: string, data: string) => createHmac("sha256", key).update(data).digest("hex");

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  url: string;
}

export async function http(
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: string; redirect?: RequestRedirect; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const res = await fetch(url, {
    method,
    headers: opts.headers,
    body: opts.body,
    redirect: opts.redirect ?? "manual",
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, url };
}

export const basic = (id: string, secret: string) => "Basic " + Buffer.from(`${id}:${secret}`).toString("base64");

export const short = (s: string, n = 300) => (s.length > n ? s.slice(0, n - 3) + "..." : s);

export const isObj = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

// yyyy-mm-dd in UTC
export const ymd = (d: Date) => d.toISOString().slice(0, 10);
