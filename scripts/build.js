// Shared by server.js and worker.js: load .env, then import the server build. Outside
// production a missing or stale build is rebuilt first (a fresh clone's `npm start` just
// works); in production the build comes from `npm run build` (the image's build stage), never
// from a running server, which has neither the devDependencies nor the time to build.
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const BUILD_ENTRY = path.resolve("build/server/index.js");

export class MissingBuildError extends Error {
  constructor() {
    super(
      `No server build at ${path.relative(process.cwd(), BUILD_ENTRY)}. In production the app is built ahead of time: run \`npm run build\` (with devDependencies installed), then start again.`,
    );
    this.name = "MissingBuildError";
  }
}

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app when the build is missing or older than its sources (development, benchmarks). */
export function buildIfStale() {
  const sources = Math.max(newestChange("app"), newestChange("db/schema"));
  if (existsSync(BUILD_ENTRY) && statSync(BUILD_ENTRY).mtimeMs >= sources) return;
  console.log("[build] building the app (first start or sources changed)…");
  const result = spawnSync(
    process.execPath,
    ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"],
    { stdio: "inherit" },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export async function loadBuild() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (process.env.NODE_ENV === "production") {
    if (!existsSync(BUILD_ENTRY)) throw new MissingBuildError();
  } else {
    buildIfStale();
  }
  return import(pathToFileURL(BUILD_ENTRY).href);
}
