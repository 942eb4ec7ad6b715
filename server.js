// Production server: `npm start`. Builds if needed, boots the runtime (migrations, job queue,
// in-process workers unless WORKERS=external), then serves Remix on PORT (default 3000).
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { loadBuild } from "./scripts/build.js";

const build = await loadBuild();
let runtime;
try {
  runtime = await build.entry.module.boot();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Webhook answers are empty; compressing pages only.
app.use(compression({ filter: (req, res) => !req.path.startsWith("/webhooks/") && compression.filter(req, res) }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const port = Number(process.env.PORT || 3000);
const server = app.listen(port, () => {
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
