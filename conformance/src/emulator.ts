// Builds the zoombridge binary and runs `zoombridge zoomsim` on a free loopback port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { freePort, sleep } from "./util.js";

export interface SimConfig {
  seed: number;
  users: number;
  plan: "basic" | "pro" | "business";
  clientId: string;
  clientSecret: string;
  accountId: string;
  webhookSecret: string;
  webhookUrl: string;
}

export interface Sim {
  base: string; // http://127.0.0.1:PORT (OAuth lives here, REST under /v2)
  api: string; // base + "/v2"
  proc: ChildProcess;
  logFile: string;
  banner: () => string; // what the emulator printed so far
  stop: () => Promise<void>;
}

export function buildBinary(repoRoot: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoombridge-conformance-"));
  const bin = path.join(dir, "zoombridge");
  const t0 = Date.now();
  const r = spawnSync("go", ["build", "-o", bin, "./cmd/zoombridge"], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 600_000,
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `go build -o ${bin} ./cmd/zoombridge failed (exit ${r.status}): ${r.error?.message ?? ""}\n${r.stdout}${r.stderr}`,
    );
  }
  console.log(`built ${bin} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return bin;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export async function startSim(bin: string, cfg: SimConfig, logFile: string): Promise<Sim> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      "zoomsim",
      "--addr",
      `127.0.0.1:${port}`,
      "--seed",
      String(cfg.seed),
      "--users",
      String(cfg.users),
      "--plan",
      cfg.plan,
      "--client-id",
      cfg.clientId,
      "--client-secret",
      cfg.clientSecret,
      "--account-id",
      cfg.accountId,
      "--webhook-secret",
      cfg.webhookSecret,
      "--webhook-url",
      cfg.webhookUrl,
    ];
    const log = fs.createWriteStream(logFile, { flags: attempt === 1 ? "w" : "a" });
    log.write(`$ ${bin} ${args.join(" ")}\n`);
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let exited: number | null | undefined = undefined;
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      log.write(b);
    });
    proc.stderr!.on("data", (b: Buffer) => {
      out += b.toString();
      log.write(b);
    });
    proc.on("exit", (code) => {
      exited = code;
      log.write(`\n[zoomsim exited with ${code}]\n`);
    });
    const deadline = Date.now() + 20_000;
    let up = false;
    while (Date.now() < deadline && exited === undefined) {
      if (await canConnect(port)) {
        up = true;
        break;
      }
      await sleep(50);
    }
    if (up) {
      const base = `http://127.0.0.1:${port}`;
      return {
        base,
        api: `${base}/v2`,
        proc,
        logFile,
        banner: () => out,
        stop: async () => {
          if (proc.exitCode === null) {
            proc.kill("SIGTERM");
            await Promise.race([new Promise((r) => proc.once("exit", r)), sleep(3000)]);
            if (proc.exitCode === null) proc.kill("SIGKILL");
          }
          log.end();
        },
      };
    }
    if (proc.exitCode === null) proc.kill("SIGKILL");
    const portTaken = /address already in use/i.test(out);
    if (portTaken && attempt < 3) continue;
    throw new Error(
      `zoombridge zoomsim did not start listening on 127.0.0.1:${port} within 20s` +
        (exited !== undefined ? ` (exited with ${exited})` : "") +
        `; its output:\n${out.slice(-3000)}`,
    );
  }
}
