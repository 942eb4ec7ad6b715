import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "../scripts/build.js";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}

export function writeResult(name: string, result: object) {
  const dir = path.resolve("bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/**
 * A bar chart (SVG) of one value per second with a dashed target line, written next to the JSON
 * as bench/results/<name>.svg for docs/benchmarks.md.
 */
export function writeBarChart(
  name: string,
  {
    title,
    unit,
    values,
    target,
  }: { title: string; unit: string; values: number[]; target: number },
) {
  const width = 640,
    height = 220,
    left = 44,
    bottom = 28,
    top = 28;
  const max = Math.max(target * 1.2, ...values);
  const y = (value: number) => top + (height - top - bottom) * (1 - value / max);
  const step = (width - left - 8) / Math.max(1, values.length);
  const bars = values
    .map((value, i) => {
      const x = left + i * step + 1;
      return `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(step - 2).toFixed(1)}" height="${(height - bottom - y(value)).toFixed(1)}" fill="${value < target ? "#2c6ecb" : "#d72c0d"}"><title>second ${i + 1}: ${value} ${unit}</title></rect>`;
    })
    .join("");
  const ticks = [0, target, max]
    .map(
      (value) =>
        `<text x="${left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Math.round(value)}</text>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#303030">
<text x="${left}" y="16" font-size="13">${title}</text>${ticks}${bars}
<line x1="${left}" x2="${width - 8}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#d72c0d" stroke-dasharray="4 3"/>
<text x="${width - 10}" y="${(y(target) - 4).toFixed(1)}" text-anchor="end" fill="#d72c0d">target ${target} ${unit}</text>
<line x1="${left}" x2="${width - 8}" y1="${height - bottom}" y2="${height - bottom}" stroke="#8a8a8a"/>
<text x="${left}" y="${height - 10}">second 1</text><text x="${width - 8}" y="${height - 10}" text-anchor="end">second ${values.length}</text>
</svg>
`;
  const file = path.resolve("bench/results", `${name}.svg`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, svg);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** A one-line progress bar on stderr (a TTY redraws it; logs get a line every 10 %). */
export function progress(label: string, total: number) {
  let lastDecile = -1;
  return (done: number) => {
    const fraction = Math.min(1, done / total);
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(fraction * 100)}%`,
      );
      if (fraction === 1) process.stderr.write("\n");
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${label} ${decile * 10}%\n`);
      }
    }
  };
}

/**
 * Starts the production server (`server.js`) or a worker process (`worker.js`, with its health
 * probes on a port of its own) as its own process, in production mode, with the app secret the
 * benchmark signs with; the app is built first if the build is missing or stale. Resolves once
 * the process answers `/readyz` as an orchestrator would see it; stops it if it never does.
 */
export async function startServer(
  secret: string,
  env: Record<string, string>,
  script: "server.js" | "worker.js" = "server.js",
) {
  buildIfStale();
  const { freePort } = await import("../tests/helpers/app-server");
  const port = await freePort();
  const probePort = script === "server.js" ? port : await freePort();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the servers.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HEALTH_PORT: script === "worker.js" ? String(probePort) : "",
      SHOPIFY_API_KEY: "bench-key",
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 3).toString("base64")}`,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 180_000;
  while (!(await answersReady(probePort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${script} failed to start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, pid: child.pid!, output: () => output, stop };
}

async function answersReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;
