/**
 * A closed-loop HTTP client in its own process (so its CPU is not the server's): keeps
 * `concurrency` POSTs in flight until every body is sent, and answers with each one's latency.
 * Started by a benchmark with `fork`; talks over IPC: receives a ClosedLoopRun, sends back
 * ClosedLoopResult.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { progress } from "./lib";

export interface ClosedLoopRun {
  port: number;
  path: string;
  concurrency: number;
  bodies: string[];
  label: string;
  /** A response body containing this counts as a "hit" (e.g. an offer was made). */
  hitMarker: string;
}

export interface ClosedLoopResult {
  seconds: number;
  /** [latency ms, status, hit] per request. */
  results: [number, number, boolean][];
  /** CPU this client used (user + system). */
  cpuMs: number;
}

async function run({ port, path, concurrency, bodies, label, hitMarker }: ClosedLoopRun): Promise<ClosedLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (body: string) =>
    new Promise<[number, number, boolean]>((resolve, reject) => {
      const started = performance.now();
      const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve([performance.now() - started, res.statusCode ?? 0, text.includes(hitMarker)]));
      });
      req.on("error", reject);
      req.end(body);
    });
  const results: [number, number, boolean][] = [];
  const cpu = process.cpuUsage();
  const tick = progress(`  ${label}`, bodies.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        results.push(await send(bodies[next++]!));
        tick(results.length);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const used = process.cpuUsage(cpu);
  return { seconds, results, cpuMs: (used.user + used.system) / 1000 };
}

process.once("message", (message: ClosedLoopRun) => {
  run(message).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
