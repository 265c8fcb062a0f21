/**
 * An open-loop load at a constant rate: request i is due at start + i / rate and is sent then,
 * whether or not earlier answers have come back, over a pool of keep-alive sockets, so a stalled
 * server is charged for every request sent while it stalls (no coordinated omission). Latency runs
 * from the send; how late the sender's timer sent (a client-side delay, not the server's) is reported
 * apart as `lateP99`.
 *
 * Why not autocannon's `overallRate`: it gives each connection a budget per second, which the
 * connection spends back to back at the start of every second and then waits, so "500 req/s" is a
 * burst of 500 at full speed each second, and its p99 is the queueing of that burst.
 */
import http from "node:http";
import { pathToFileURL } from "node:url";

export interface PacedResult {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  total: number;
  /** 99th percentile of how late requests left against their schedule, ms. */
  lateP99: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

export async function paced(url: string, body: string, headers: Record<string, string>, rate: number, seconds: number): Promise<PacedResult> {
  // FIFO: every pooled socket is used in turn, so none idles past the server's keep-alive timeout and is
  // closed under a request (a reset that would count as a failure of the server).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, scheduling: "fifo" });
  const target = new URL(url);
  const payload = Buffer.from(body);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const late: number[] = [];
  let failed = 0;
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      late.push(sent - due);
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": payload.length, ...headers } },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) failed++;
            latencies.push(performance.now() - sent);
            resolve();
          });
        },
      );
      req.on("error", () => {
        failed++;
        resolve();
      });
      req.end(payload);
    });
  const start = performance.now() + 20;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // Everything due by now goes out (a late timer sends the overdue ones at once, still timed from when due).
    while (i < total && start + (i * 1000) / rate <= now) pending.push(send(start + (i++ * 1000) / rate));
    const next = start + (i * 1000) / rate - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, Math.floor(next))));
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { rps: total / seconds, p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), failed, total, lateP99: round(quantile(late.sort((a, b) => a - b), 0.99)) };
}

/**
 * As a process of its own (`node --import tsx bench/paced.ts`, with PACED_URL, PACED_BODY, PACED_HEADERS
 * as JSON, PACED_RATE and PACED_SECONDS): prints the result as JSON. The sender then carries no heap but
 * its own, so no garbage collection of a benchmark's other state stalls it mid-load.
 */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const headers = JSON.parse(env.PACED_HEADERS ?? "{}") as Record<string, string>;
  void paced(env.PACED_URL!, env.PACED_BODY!, headers, Number(env.PACED_RATE), Number(env.PACED_SECONDS)).then((r) => console.log(JSON.stringify(r)));
}
