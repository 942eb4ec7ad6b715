// Production server: `npm start`. Builds if needed, boots the runtime (migrations, job queue,
// in-process workers unless WORKERS=external), then serves Remix on PORT (default 3000).
import http from "node:http";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { bootErrorMessage } from "./scripts/boot-error.js";
import { loadBuild } from "./scripts/build.js";

let build;
let runtime;
try {
  // Importing the build reads the environment, so a bad configuration fails here too.
  build = await loadBuild();
  runtime = await build.entry.module.boot();
} catch (error) {
  console.error(`[start] ${bootErrorMessage(error)}`);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Webhook answers are empty; compressing pages only.
app.use(compression({ filter: (req, res) => !req.path.toLowerCase().startsWith("/webhooks/") && compression.filter(req, res) }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

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
        res.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.body ?? "") }).end(answer.body);
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
const webhookFastPath = fastPath("webhooks", 5 * 1024 * 1024, (req, rawBody) =>
  build.entry.module.acceptWebhook({
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
const postPurchaseFastPath = fastPath("post-purchase", 64 * 1024, (req, rawBody) =>
  build.entry.module.acceptPostPurchase({ method: req.method, path: req.url.split("?")[0].toLowerCase(), rawBody }),
);

/** Any other request body (admin forms, the Gorgias webhook, auth): far more than any of them sends. */
const OTHER_BODY_LIMIT = 1024 * 1024;

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
    if (!res.headersSent) res.writeHead(413, { "Content-Type": "text/plain" }).end("Payload too large");
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

const port = Number(process.env.PORT || 3000);
const server = http.createServer((req, res) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  // Remix matches routes case-insensitively, so the fast paths (and their limits) must too.
  const path = (req.url ?? "/").split("?")[0].toLowerCase();
  if (path.startsWith("/webhooks/")) {
    if (req.method === "POST") return webhookFastPath(req, res);
    return void res.writeHead(405, { Allow: "POST", "Content-Type": "text/plain" }).end("POST only");
  }
  if (path.startsWith("/api/post-purchase/") && (req.method === "POST" || req.method === "OPTIONS")) return postPurchaseFastPath(req, res);
  if (limitBody(req, res, OTHER_BODY_LIMIT)) app(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, () => {
  console.log(`[start] Switchboard listening on http://localhost:${port}`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[start] ${signal}: finishing in-flight requests and jobs…`);
  server.close();
  await runtime.stop({ timeoutMs: 20_000 });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
