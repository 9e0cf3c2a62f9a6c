// Zoom's own Node receiver under benchmark load: one Rivet HttpReceiver with the webhook secret
// (ZOOM_WEBHOOK_SECRET), verifying every delivery and handing it to an emitter that stores nothing.
// `zoombridge bench webhooks --node-receiver "node conformance/dist/bench-receiver.js"` starts it,
// reads the address from its first line and offers it the same load as zoombridge, in the same run.
import { HttpReceiver } from "@zoom/rivet/meetings";

const secret = process.env.ZOOM_WEBHOOK_SECRET;
if (!secret) {
  console.error("ZOOM_WEBHOOK_SECRET is required");
  process.exit(2);
}
const path = "/webhooks/zoom";
const receiver = new HttpReceiver({ webhooksSecretToken: secret, endpoints: path });
receiver.init({ eventEmitter: { emit: async () => {} } as never });
const server = await receiver.start(0);
const a = server.address();
const port = a && typeof a === "object" ? a.port : 0;
console.log(`rivet receiver listening on http://127.0.0.1:${port}${path}`);
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
