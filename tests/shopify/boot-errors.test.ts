import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { freePort } from "../helpers/app-server";

/** Starts `node server.js` (or worker.js) with `env` and returns how it ended. */
async function start(
  script: "server.js" | "worker.js",
  env: Record<string, string>,
  { cwd = process.cwd() } = {},
) {
  const port = await freePort();
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [path.resolve(script)], {
      cwd,
      env: {
        ...process.env,
        NODE_ENV: "test",
        PORT: String(port),
        SHOPIFY_API_KEY: API_KEY,
        SHOPIFY_API_SECRET: API_SECRET_KEY,
        SHOPIFY_APP_URL: `http://localhost:${port}`,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The operator's view of a failed start: exit 1, the cause in plain words, no stack trace. */
function expectClearFailure(result: { code: number | null; stderr: string }, cause: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(cause);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain("Failed query");
}

describe("a start that cannot succeed says why", () => {
  it("names a database port nobody listens on (ECONNREFUSED), for the server and the worker", async () => {
    const dead = `postgres://postgres@127.0.0.1:${await freePort()}/test`;
    expectClearFailure(
      await start("server.js", { DATABASE_URL: dead }),
      /^\[start\] Cannot reach the database at 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)\. Is it running\? Check DATABASE_URL\.$/m,
    );
    expectClearFailure(
      await start("worker.js", { DATABASE_URL: dead }),
      /^\[worker\] Cannot reach the database at 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/m,
    );
  }, 240_000);

  it("lists every configuration problem without a stack trace", async () => {
    const result = await start("server.js", {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "",
      SHOPIFY_API_SECRET: "",
      ENCRYPTION_KEYS: "",
    });
    expectClearFailure(
      result,
      /^\[start\] Invalid environment — fix these and start again:\n {2}- SHOPIFY_API_KEY: missing\n {2}- SHOPIFY_API_SECRET: missing\n {2}- ENCRYPTION_KEYS: missing/m,
    );
  }, 120_000);

  it("in production, does not build: a missing build says to run npm run build", async () => {
    // A directory without build/, as a runtime image would be if its build stage were skipped.
    const empty = mkdtempSync(path.join(tmpdir(), "switchboard-nobuild-"));
    try {
      for (const script of ["server.js", "worker.js"] as const) {
        const result = await start(
          script,
          { NODE_ENV: "production", DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
          { cwd: empty },
        );
        expectClearFailure(
          result,
          /^\[(start|worker)\] No server build at build\/server\/index\.js\. In production the app is built ahead of time: run `npm run build`/m,
        );
        expect(result.stdout).not.toContain("building the app");
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  // Like every PostgreSQL suite, only where a server is configured (TEST_DATABASE_URL).
  const postgres = process.env.TEST_DATABASE_URL;
  if (postgres)
    it("names an unknown role and an unknown database as PostgreSQL does", async () => {
      const url = (change: (u: URL) => void) => {
        const u = new URL(postgres!);
        change(u);
        return u.toString();
      };
      expectClearFailure(
        await start("server.js", { DATABASE_URL: url((u) => (u.username = "no_such_role")) }),
        /^\[start\] The database refused: role "no_such_role" does not exist \(SQLSTATE 28000\)\. Check DATABASE_URL\.$/m,
      );
      expectClearFailure(
        await start("server.js", { DATABASE_URL: url((u) => (u.pathname = "/no_such_database")) }),
        /^\[start\] The database refused: database "no_such_database" does not exist \(SQLSTATE 3D000\)/m,
      );
    }, 120_000);
});
