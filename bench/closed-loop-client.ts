/**
 * A closed-loop HTTP client in its own process (so its CPU is not the server's): keeps
 * `concurrency` POSTs in flight until every body is sent, and answers with each one's latency.
 * Started by a benchmark with `fork`; talks over IPC: receives a ClosedLoopRun, sends back
 * ClosedLoopResult.
 */
import net from "node:net";
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

/**
 * One keep-alive connection sending its requests one after another. Raw HTTP/1.1 over a socket:
 * the requests are serialised once up front and a response is read by its Content-Length, so the
 * client spends as little CPU as it can (on this machine it shares the cores with the server and
 * PostgreSQL; in production the buyers' browsers are elsewhere).
 */
function connection(port: number, onResponse: (status: number, body: string) => void) {
  const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
  let buffer: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const head = buffer.toString("latin1", 0, headerEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length) throw new Error(`response without Content-Length:\n${head}`);
      const end = headerEnd + 4 + Number(length[1]);
      if (buffer.length < end) return;
      const status = Number(head.slice(9, 12));
      const body = buffer.toString("utf8", headerEnd + 4, end);
      buffer = buffer.subarray(end);
      onResponse(status, body);
    }
  });
  return socket;
}

async function run({ port, path, concurrency, bodies, label, hitMarker }: ClosedLoopRun): Promise<ClosedLoopResult> {
  const requests = bodies.map((body) =>
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
  );
  const results: [number, number, boolean][] = [];
  const cpu = process.cpuUsage();
  const tick = progress(`  ${label}`, bodies.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: Math.min(concurrency, requests.length) },
      () =>
        new Promise<void>((resolve, reject) => {
          let sentAt = 0;
          const send = () => {
            if (next >= requests.length) {
              socket.end();
              return resolve();
            }
            sentAt = performance.now();
            socket.write(requests[next++]!);
          };
          const socket = connection(port, (status, body) => {
            results.push([performance.now() - sentAt, status, body.includes(hitMarker)]);
            tick(results.length);
            send();
          });
          socket.once("error", reject);
          socket.once("connect", send);
        }),
    ),
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
