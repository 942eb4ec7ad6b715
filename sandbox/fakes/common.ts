import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a fake received, kept for assertions and for the sandbox's inbox page. */
export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response?: unknown;
}

/**
 * Faults a test can switch on. Applied before the vendor logic, in this order: a pending 429
 * burst, then a random 5xx (errorRate), then a hang the client must time out on (timeoutRate),
 * then latency.
 */
export interface FaultKnobs {
  /** 0..1: share of requests answered 500/502/503 without doing anything. */
  errorRate: number;
  /** 0..1: share of requests that never get an answer until the fake closes. */
  timeoutRate: number;
  /** Extra milliseconds before every answer. */
  latencyMs: number;
  /** The next N requests get 429 with Retry-After. */
  burst429: number;
  /** Retry-After seconds sent with injected 429s. */
  retryAfterSeconds: number;
  /**
   * Which requests the faults above apply to (all when unset): lets a test aim a 429 at one call
   * while the app's other background calls to the same vendor go through.
   */
  appliesTo?: ((request: FakeRequest) => boolean) | undefined;
}

export const NO_FAULTS: FaultKnobs = {
  errorRate: 0,
  timeoutRate: 0,
  latencyMs: 0,
  burst429: 0,
  retryAfterSeconds: 1,
};

/** Deterministic PRNG (mulberry32) so fault patterns repeat with a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  rawBody: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless a string. */
  body?: unknown;
  /** Streamed as the body instead (large downloads); recorded as "[stream]". */
  stream?: () => NodeJS.ReadableStream;
}

export type FakeHandler = (request: FakeRequest) => Promise<FakeResponse> | FakeResponse;

export interface FakeServer {
  url: string;
  port: number;
  received: RecordedRequest[];
  faults: FaultKnobs;
  setFaults(faults: Partial<FaultKnobs>): void;
  close(): Promise<void>;
}

export interface StartFakeOptions {
  /** 0 (default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  faults?: Partial<FaultKnobs>;
  seed?: number;
  /** Keep at most this many recorded requests (oldest dropped). */
  recordLimit?: number;
  /** Headers whose values are replaced by "[redacted]" in the record. */
  redactHeaders?: string[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts a loopback HTTP server around `handler`, with recording and fault injection. */
export async function startFake(
  handler: FakeHandler,
  options: StartFakeOptions = {},
): Promise<FakeServer> {
  const faults: FaultKnobs = { ...NO_FAULTS, ...options.faults };
  const random = seededRandom(options.seed ?? 42);
  const received: RecordedRequest[] = [];
  const recordLimit = options.recordLimit ?? 10_000;
  const redact = new Set((options.redactHeaders ?? []).map((h) => h.toLowerCase()));
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, response: FakeResponse) => {
    if (response.stream) {
      res.writeHead(response.status, response.headers);
      const body = response.stream();
      body.on("error", () => res.destroy());
      body.pipe(res);
      return;
    }
    const isText = typeof response.body === "string";
    const payload =
      response.body === undefined
        ? ""
        : isText
          ? (response.body as string)
          : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...(response.body !== undefined && !isText ? { "content-type": "application/json" } : {}),
      ...response.headers,
    });
    res.end(payload);
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawBody = await readBody(req);
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
    };
    let parsed: unknown = rawBody;
    try {
      parsed = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      /* keep raw text */
    }
    const record: RecordedRequest = {
      at: new Date().toISOString(),
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, redact.has(k) ? "[redacted]" : String(v)]),
      ),
      body: parsed,
      status: 0,
    };
    received.push(record);
    if (received.length > recordLimit) received.shift();

    let response: FakeResponse | undefined;
    if (!faults.appliesTo || faults.appliesTo(request)) {
      if (faults.burst429 > 0) {
        faults.burst429 -= 1;
        response = {
          status: 429,
          headers: { "retry-after": String(faults.retryAfterSeconds) },
          body: { errors: [{ status: 429, detail: "injected rate limit" }] },
        };
      } else if (faults.errorRate > 0 && random() < faults.errorRate) {
        const status = [500, 502, 503][Math.floor(random() * 3)]!;
        response = { status, body: { errors: [{ status, detail: "injected server error" }] } };
      } else if (faults.timeoutRate > 0 && random() < faults.timeoutRate) {
        record.status = -1; // never answered
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
    }
    if (!response) {
      try {
        response = await handler(request);
      } catch (error) {
        response = { status: 500, body: { errors: [{ status: 500, detail: String(error) }] } };
      }
    }
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    record.status = response.status;
    record.response = response.stream ? "[stream]" : response.body;
    send(res, response);
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    faults,
    setFaults(next) {
      Object.assign(faults, next);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
