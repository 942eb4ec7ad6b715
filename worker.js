// `npm run worker`: job workers as their own process (PostgreSQL only), scaled apart from web.
import { loadBuild } from "./scripts/build.js";

const build = await loadBuild();
let runtime;
try {
  runtime = await build.entry.module.runWorker();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: finishing in-flight jobs (others are released)…`);
  await runtime.stop({ timeoutMs: 20_000 });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
