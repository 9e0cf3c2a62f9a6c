// Rivet's own clients and webhook receiver, pointed at the emulator.
//
// REST: Rivet's product clients (UsersS2SAuthClient, MeetingsS2SAuthClient, PhoneS2SAuthClient, ...)
// pass their whole options object to their *Endpoints constructor, whose WebEndpointOptions take a
// `baseUrl`; that is how the clients are pointed at the emulator's /v2. Tokens are supplied through
// Rivet's `tokenStore` option (the supported way to hand Rivet a token).
//
// OAuth: Rivet 0.4.0 hard-codes https://zoom.us as its OAuth host (OAUTH_BASE_URL, not configurable).
// To let Rivet's own S2SAuth / OAuth code talk to the emulator's /oauth/token anyway, an axios
// request interceptor rewrites https://zoom.us/... to the emulator (Rivet uses the shared axios
// instance). Only OAuth-token requests go to that host.
import axios from "axios";
import { HttpReceiver, MeetingsS2SAuthClient, MeetingsEventProcessor } from "@zoom/rivet/meetings";
import type { S2SAuthToken, OAuthToken, TokenStore } from "@zoom/rivet/meetings";
import { UsersS2SAuthClient, UsersOAuthClient, UsersEventProcessor } from "@zoom/rivet/users";
import { PhoneS2SAuthClient, PhoneEventProcessor } from "@zoom/rivet/phone";
import { MarketplaceS2SAuthClient, MarketplaceEventProcessor } from "@zoom/rivet/marketplace";
import type { Server, IncomingHttpHeaders } from "node:http";

let oauthHostRewrite: string | undefined;
axios.interceptors.request.use((cfg) => {
  if (oauthHostRewrite && typeof cfg.url === "string" && cfg.url.startsWith("https://zoom.us/")) {
    cfg.url = oauthHostRewrite + cfg.url.slice("https://zoom.us".length);
  }
  return cfg;
});
export const setOAuthHost = (base: string) => {
  oauthHostRewrite = base;
};

export class MemoryStore<T> implements TokenStore<T> {
  constructor(public token?: T) {}
  getLatestToken() {
    return this.token;
  }
  storeToken(t: T) {
    this.token = t;
  }
}

export interface Creds {
  clientId: string;
  clientSecret: string;
  accountId: string;
}

// All options are passed on to the *Endpoints constructor at runtime (see ProductClient in Rivet),
// but the declared option types do not list `baseUrl`, so the object is built outside the call.
export function s2sClients(creds: Creds, baseUrl: string, store: TokenStore<S2SAuthToken>) {
  const opts = { ...creds, tokenStore: store, disableReceiver: true as const, baseUrl };
  return {
    users: new UsersS2SAuthClient(opts),
    meetings: new MeetingsS2SAuthClient(opts),
    phone: new PhoneS2SAuthClient(opts),
    marketplace: new MarketplaceS2SAuthClient(opts),
  };
}

export function userOAuthClient(creds: Creds, baseUrl: string, store: TokenStore<OAuthToken>, redirectUri: string) {
  const opts = {
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    tokenStore: store,
    disableReceiver: true as const,
    installerOptions: { redirectUri, stateStore: "conformance-state-secret-0123456789abcdef" },
    baseUrl,
  };
  return new UsersOAuthClient(opts);
}

export interface Delivery {
  seq: number;
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  event?: string;
  status?: number;
  response?: string;
}

export interface Received {
  event: string;
  payload: unknown;
}

// One Rivet HttpReceiver (with the webhook secret) receives every delivery. It verifies the
// x-zm-signature, answers endpoint.url_validation itself, and hands verified events to an event
// emitter. The emitter fans out to the four products' Rivet event processors (meetings, phone,
// users, marketplace), where the suite registers typed listeners with `.event(name, listener)`.
export class WebhookSink {
  readonly receiver: HttpReceiver;
  server?: Server;
  port = 0;
  deliveries: Delivery[] = [];
  received: Received[] = [];
  private seq = 0;
  private waiters: (() => void)[] = [];

  constructor(
    secret: string,
    readonly path: string,
    processors: {
      meetings: MeetingsEventProcessor;
      phone: PhoneEventProcessor;
      users: UsersEventProcessor;
      marketplace: MarketplaceEventProcessor;
    },
  ) {
    this.receiver = new HttpReceiver({ webhooksSecretToken: secret, endpoints: path });
    const all = [processors.meetings, processors.phone, processors.users, processors.marketplace];
    const fanout = {
      emit: async (name: string, payload: unknown) => {
        await Promise.all(all.map((p) => (p as unknown as { emit: (n: string, x: unknown) => Promise<void> }).emit(name, payload)));
      },
    };
    this.receiver.init({ eventEmitter: fanout as never });
  }

  record(event: string, payload: unknown) {
    this.received.push({ event, payload });
    this.wake();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  async start() {
    this.server = await this.receiver.start(0);
    const a = this.server.address();
    this.port = a && typeof a === "object" ? a.port : 0;
    // Observe the raw traffic next to Rivet's own request handler (for diagnostics only).
    this.server.on("request", (req, res) => {
      const d: Delivery = { seq: ++this.seq, at: Date.now(), path: req.url ?? "", headers: req.headers, raw: "" };
      this.deliveries.push(d);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        d.raw = Buffer.concat(chunks).toString("utf8");
        try {
          d.event = JSON.parse(d.raw).event;
        } catch {
          /* not JSON */
        }
      });
      const origEnd = res.end.bind(res) as (...a: unknown[]) => unknown;
      (res as unknown as { end: (...a: unknown[]) => unknown }).end = (...args: unknown[]) => {
        if (typeof args[0] === "string" || Buffer.isBuffer(args[0])) d.response = args[0].toString();
        d.status = res.statusCode;
        setImmediate(() => this.wake());
        return origEnd(...args);
      };
    });
    return this.port;
  }

  // Wait until pred() holds or the timeout passes.
  async waitFor(pred: () => boolean, timeoutMs: number) {
    const end = Date.now() + timeoutMs;
    while (!pred() && Date.now() < end) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(200, Math.max(1, end - Date.now())));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return pred();
  }

  async stop() {
    if (this.server) await this.receiver.stop();
  }
}
