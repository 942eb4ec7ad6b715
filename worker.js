// `npm run worker`: job workers as their own process (PostgreSQL only), scaled apart from web.
import { bootErrorMessage } from "./scripts/boot-error.js";
import { loadBuild } from "./scripts/build.js";

let build;
let runtime;
try {
  // Importing the build reads the environment, so a bad configuration fails here too.
  build = await loadBuild();
  runtime = await build.entry.module.runWorker();
} catch (error) {
  // The app's logger if the build loaded; the console if loading it is what failed.
  (build?.entry.module.log ?? console).error(`[worker] ${bootErrorMessage(error)}`);
  process.exit(1);
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  build.entry.module.log.info(
    `[worker] ${signal}: finishing in-flight jobs (others are released)…`,
  );
  await runtime.stop({ timeoutMs: 20_000 });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
