/**
 * A closed-loop HTTP client in its own process (so its CPU is not the server's): keeps
 * `concurrency` POSTs in flight until every body is sent, and answers with each one's latency.
 * Started by a benchmark with `fork`; talks over IPC: receives a ClosedLoopRun, sends back
 * ClosedLoopResult.
 */
import { performance } from "node:perf_hooks";
import { progress } from "./lib";
import { rawHttpConnection } from "./raw-http";

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

async function run({
  port,
  path,
  concurrency,
  bodies,
  label,
  hitMarker,
}: ClosedLoopRun): Promise<ClosedLoopResult> {
  const requests = bodies.map((body) =>
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ),
  );
  const results: [number, number, boolean][] = [];
  const cpu = process.cpuUsage();
  const tick = progress(`  ${label}`, bodies.length);
  let next = 0;
  const started = performance.now();
  // Each connection sends its next request when the last is answered (raw HTTP/1.1: the client
  // spends as little CPU as it can; in production the buyers' browsers are elsewhere).
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      const connection = rawHttpConnection(port);
      await connection.connected;
      while (next < requests.length) {
        const sentAt = performance.now();
        const { status, body } = await connection.request(requests[next++]!);
        results.push([performance.now() - sentAt, status, body.includes(hitMarker)]);
        tick(results.length);
      }
      connection.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
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
