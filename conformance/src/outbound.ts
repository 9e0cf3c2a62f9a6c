// Outbound webhook signatures checked by the Standard Webhooks reference
// library (npm standardwebhooks 1.1.1), independently of zoombridge's Go code.
//
// Reads JSON lines on stdin, one delivery zoombridge made each:
//   {"name": "...", "secret": "whsec_...", "headers": {"webhook-id": ..., ...}, "body": "..."}
// and writes one JSON line per delivery: whether the library accepts it as
// sent, and whether it rejects it with one byte of the body changed.
// internal/outbound's TestStandardWebhooksLibraryVerifiesDeliveries runs it.
import readline from "node:readline";
import { Webhook } from "standardwebhooks";

type Delivery = { name: string; secret: string; headers: Record<string, string>; body: string };

function verdict(secret: string, body: string, headers: Record<string, string>): string {
  try {
    new Webhook(secret).verify(body, headers);
    return "ok";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const d = JSON.parse(line) as Delivery;
  const tampered = d.body.replace(/.$/s, (c) => (c === "}" ? " " : "}"));
  console.log(JSON.stringify({ name: d.name, asSent: verdict(d.secret, d.body, d.headers), tampered: verdict(d.secret, tampered, d.headers) }));
}
