// Production server: `npm start`. Builds the app if there is no current build, boots the
// database (migrations) and background workers, then serves Remix on PORT (default 3000).
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

if (existsSync(".env")) process.loadEnvFile(".env");

const BUILD_ENTRY = path.resolve("build/server/index.js");

function newestSourceChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestSourceChange(full) : statSync(full).mtimeMs,
    );
  }
  return newest;
}

if (!existsSync(BUILD_ENTRY) || statSync(BUILD_ENTRY).mtimeMs < newestSourceChange("app")) {
  console.log("[start] building the app (first start or sources changed)…");
  const result = spawnSync(
    process.execPath,
    ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"],
    {
      stdio: "inherit",
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const build = await import(pathToFileURL(BUILD_ENTRY).href);
let runtime;
try {
  runtime = await build.entry.module.boot();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
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
  await runtime.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
