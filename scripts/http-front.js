// The production server's HTTP front (server.js): fast paths for Shopify's webhooks and the
// checkout, body limits for every request, then Express + Remix.
import http from "node:http";

/** Shopify's webhook bodies; far above the largest order payload. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;
/** The checkout's post-purchase calls: a token and a few ids. */
export const POST_PURCHASE_BODY_LIMIT = 64 * 1024;

/**
 * Answers one request straight off node:http: reads the body (413 beyond `maxBytes`), hands it
 * to `accept`, which returns { status, headers, body }, and writes that with its Content-Length.
 */
function fastPath(label, maxBytes, accept) {
  return (req, res) => {
    if (!limitBody(req, res, maxBytes)) return;
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      if (res.writableEnded || res.headersSent) return;
      try {
        const answer = await accept(req, Buffer.concat(chunks).toString("utf8"));
        res
          .writeHead(answer.status, {
            ...answer.headers,
            "Content-Length": Buffer.byteLength(answer.body ?? ""),
          })
          .end(answer.body);
      } catch (error) {
        console.error(`[${label}]`, error);
        res.writeHead(500).end();
      }
    });
  };
}

/**
 * Shopify webhooks skip Express and Remix: the same acceptWebhook() the Remix routes call,
 * straight off node:http, because Shopify gives us 5 s and Black Friday sends thousands a minute
 * (see docs/decisions/005-webhook-ingest-and-jobs.md).
 */
const webhookFastPath = (acceptWebhook) =>
  fastPath("webhooks", WEBHOOK_BODY_LIMIT, (req, rawBody) =>
    acceptWebhook({
      method: req.method,
      header: (name) => {
        const value = req.headers[name];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      rawBody,
    }),
  );

/**
 * The checkout's post-purchase endpoints also skip Express and Remix: the buyer waits on
 * Shopify's post-purchase page while we decide (the same acceptPostPurchase() the Remix routes
 * call).
 */
const postPurchaseFastPath = (acceptPostPurchase) =>
  fastPath("post-purchase", POST_PURCHASE_BODY_LIMIT, (req, rawBody) =>
    acceptPostPurchase({ method: req.method, path: req.url.split("?")[0].toLowerCase(), rawBody }),
  );

/**
 * /healthz and /readyz for a load balancer or orchestrator, and /metrics for Prometheus: answered
 * before anything else (no body, no Express, no Shopify session). `probes.liveness(req)`,
 * `probes.readiness(req)` and `probes.metrics(req)` return { status, headers, body }. Returns false
 * for any other path (and for /metrics when no `probes.metrics` is given).
 */
function answerProbe(probes, req, res, path) {
  const probe =
    path === "/healthz"
      ? probes.liveness
      : path === "/readyz"
        ? probes.readiness
        : path === "/metrics"
          ? probes.metrics
          : null;
  if (!probe) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("GET only");
    return true;
  }
  req.resume();
  Promise.resolve()
    .then(() => probe(req))
    .then(
      (answer) => {
        res.writeHead(answer.status, {
          ...answer.headers,
          "Content-Length": Buffer.byteLength(answer.body),
        });
        res.end(req.method === "HEAD" ? undefined : answer.body);
      },
      (error) => {
        console.error("[health]", error);
        if (!res.headersSent) res.writeHead(503, { "Content-Type": "text/plain" }).end();
      },
    );
  return true;
}

/**
 * The worker process's HTTP port (HEALTH_PORT): /healthz, /readyz and /metrics only, everything
 * else 404.
 */
export function createProbeServer(probes) {
  return http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0].toLowerCase();
    if (!answerProbe(probes, req, res, path)) {
      req.resume();
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    }
  });
}

/** Any other request body (admin forms, the Gorgias webhook, auth): far more than any of them sends. */
const OTHER_BODY_LIMIT = 1024 * 1024;

/** How long an idle keep-alive connection stays open (above a load balancer's 60 s idle timeout). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** After a 413, how much more a client may send (read and dropped, so it sees the answer) before it is cut off. */
const DISCARD_AFTER_REFUSAL = 8 * 1024 * 1024;

/**
 * Refuses a body over `maxBytes` with 413 as it streams in, before anything buffers it: a
 * declared Content-Length is checked up front, a chunked body is counted as each chunk comes
 * off the socket. What arrives after the refusal is dropped unread. Returns false if refused.
 */
function limitBody(req, res, maxBytes) {
  let size = 0;
  let refused = false;
  const refuse = () => {
    refused = true;
    if (!res.headersSent)
      res.writeHead(413, { "Content-Type": "text/plain" }).end("Payload too large");
  };
  const push = req.push;
  req.push = function (chunk, encoding) {
    if (chunk === null) return push.call(this, null);
    size += chunk.length;
    if (!refused && size > maxBytes) refuse();
    if (!refused) return push.call(this, chunk, encoding);
    if (size > maxBytes + DISCARD_AFTER_REFUSAL) req.destroy();
    return true;
  };
  if (Number(req.headers["content-length"]) > maxBytes) refuse();
  return !refused;
}

/**
 * A body of unknown length (chunked) is held here until it has all arrived, then the request is
 * handed on with it: refused midway (413), the app never saw the request, so no half-read body
 * fails inside a route after the answer was sent. At most `maxBytes` is held.
 */
function holdChunkedBody(req, res, maxBytes, handOn) {
  const held = [];
  let size = 0;
  let refused = false;
  const push = req.push;
  req.push = function (chunk, encoding) {
    if (chunk === null) {
      if (refused) return push.call(this, null);
      req.push = push;
      for (const part of held) push.call(this, part);
      const result = push.call(this, null);
      // Off the HTTP parser's callback: the app starts reading on the next tick.
      process.nextTick(handOn);
      return result;
    }
    size += chunk.length;
    if (!refused && size > maxBytes) {
      refused = true;
      held.length = 0;
      res.writeHead(413, { "Content-Type": "text/plain" }).end("Payload too large");
    }
    if (!refused) held.push(typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk);
    else if (size > maxBytes + DISCARD_AFTER_REFUSAL) req.destroy();
    // Accepting every chunk keeps the socket reading while nothing consumes the request yet.
    return true;
  };
}

/**
 * The production HTTP server: health probes, Shopify's webhooks and the checkout's endpoints
 * straight off node:http, everything else to `app` (Express + Remix), every body limited as it streams.
 * server.js runs it; tests run it in-process around the same accept functions.
 * @param {{
 *   acceptWebhook: Function,
 *   acceptPostPurchase: Function,
 *   probes?: { liveness: Function, readiness: Function, metrics?: Function },
 *   app: Function,
 * }} options
 */
export function createHttpFront({ acceptWebhook, acceptPostPurchase, probes = undefined, app }) {
  const webhooks = webhookFastPath(acceptWebhook);
  const postPurchase = postPurchaseFastPath(acceptPostPurchase);
  const server = http.createServer((req, res) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    // Remix matches routes case-insensitively, so the fast paths (and their limits) must too.
    const path = (req.url ?? "/").split("?")[0].toLowerCase();
    if (probes && answerProbe(probes, req, res, path)) return;
    if (path.startsWith("/webhooks/")) {
      if (req.method === "POST") return webhooks(req, res);
      return void res
        .writeHead(405, { Allow: "POST", "Content-Type": "text/plain" })
        .end("POST only");
    }
    if (
      path.startsWith("/api/post-purchase/") &&
      (req.method === "POST" || req.method === "OPTIONS")
    )
      return postPurchase(req, res);
    if (req.headers["transfer-encoding"] === undefined) {
      if (limitBody(req, res, OTHER_BODY_LIMIT)) app(req, res);
    } else holdChunkedBody(req, res, OTHER_BODY_LIMIT, () => app(req, res));
  });
  // Node closes an idle keep-alive connection after 5 s, so a client (Shopify's delivery
  // workers, a load balancer) that reuses it at that moment gets a reset instead of an answer.
  // Idle connections stay open longer than a load balancer's usual 60 s, which closes first.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
