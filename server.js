// Production server: `npm start`. Builds if needed, boots the runtime (migrations, job queue,
// in-process workers unless WORKERS=external), then serves Remix on PORT (default 3000).
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { bootErrorMessage } from "./scripts/boot-error.js";
import { createHttpFront } from "./scripts/http-front.js";
import { loadBuild } from "./scripts/build.js";

let build;
let runtime;
try {
  // Importing the build reads the environment, so a bad configuration fails here too.
  build = await loadBuild();
  runtime = await build.entry.module.boot();
} catch (error) {
  // The app's logger if the build loaded; the console if loading it is what failed.
  (build?.entry.module.log ?? console).error(`[start] ${bootErrorMessage(error)}`);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// Webhook answers are empty; compressing pages only.
app.use(
  compression({
    filter: (req, res) =>
      !req.path.toLowerCase().startsWith("/webhooks/") && compression.filter(req, res),
  }),
);
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = createHttpFront({
  acceptWebhook: build.entry.module.acceptWebhook,
  acceptPostPurchase: build.entry.module.acceptPostPurchase,
  app,
});
const port = Number(process.env.PORT || 3000);
server.listen(port, () => {
  build.entry.module.log.info(`[start] Switchboard listening on http://localhost:${port}`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  build.entry.module.log.info(`[start] ${signal}: finishing in-flight requests and jobs…`);
  server.close();
  await runtime.stop({ timeoutMs: 20_000 });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
