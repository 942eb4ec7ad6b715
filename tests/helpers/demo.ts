import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `npm run demo` as a child on a temporary data directory and free ports (`--port 0`), for the
 * browser tests that walk the sandbox. Its own process group, so stopping it stops the app too.
 */
export interface RunningDemo {
  /** Everything the demo printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the demo exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The sandbox Admin and the app, once the demo printed them. */
  ready(timeoutMs: number): Promise<{ adminUrl: string; appUrl: string }>;
  stop(): Promise<void>;
}

export function startDemo(args: string[] = [], label = "demo"): RunningDemo {
  const dataDir = mkdtempSync(path.join(tmpdir(), `switchboard-${label}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
  // The test runner's own settings (tests/setup) are not the demo's.
  for (const name of [
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "SHOPIFY_APP_URL",
    "PGLITE_DATA_DIR",
    "LOG_LEVEL",
  ])
    delete env[name];
  let output = "";
  const demo: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "sandbox/demo.ts", "--port", "0", "--data", dataDir, ...args],
    { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  demo.stdout!.on("data", (chunk) => (output += chunk));
  demo.stderr!.on("data", (chunk) => (output += chunk));

  const waitForOutput = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const started = Date.now();
      const check = setInterval(() => {
        const match = pattern.exec(output);
        if (match) {
          clearInterval(check);
          resolve(match);
        } else if (demo.exitCode !== null || Date.now() - started > timeoutMs) {
          clearInterval(check);
          reject(new Error(`demo did not print ${pattern} (exit ${demo.exitCode}):\n${output}`));
        }
      }, 100);
    });

  return {
    output: () => output,
    waitForOutput,
    async ready(timeoutMs) {
      const [, adminUrl] = await waitForOutput(/Open\s+(http:\/\/127\.0\.0\.1:\d+)\//, timeoutMs);
      const [, appUrl] = await waitForOutput(/✓ app\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000);
      return { adminUrl: adminUrl!, appUrl: appUrl! };
    },
    async stop() {
      if (process.env.DEMO_TEST_DEBUG) console.log(output);
      if (demo.exitCode === null && demo.signalCode === null && demo.pid) {
        const exited = new Promise((resolve) => demo.once("exit", resolve));
        process.kill(-demo.pid, "SIGKILL");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
