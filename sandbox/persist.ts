import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { SimulatorState } from "./simulator";
import type { SandboxStore } from "./store/types";

/**
 * The sandbox keeps its store and simulator clock beside the app's PGlite directory, so a
 * second `npm run demo` carries on with the same shop, orders and clock:
 *
 *   <dir>/pglite/          the app's database
 *   <dir>/store.json       the sandbox store as the Shopify fake knows it
 *   <dir>/simulator.json   the simulated clock, counters and seed
 *   <dir>/app.log          the app process's output
 *   <dir>/demo.lock        pid of the demo using this directory
 */

export interface SavedSandbox {
  store: SandboxStore;
  simulator: SimulatorState;
}

const STORE_FILE = "store.json";
const SIMULATOR_FILE = "simulator.json";
const LOCK_FILE = "demo.lock";

export function loadSandbox(dir: string): SavedSandbox | null {
  const storeFile = path.join(dir, STORE_FILE);
  const simulatorFile = path.join(dir, SIMULATOR_FILE);
  if (!existsSync(storeFile) || !existsSync(simulatorFile)) return null;
  const store = JSON.parse(readFileSync(storeFile, "utf8")) as SandboxStore;
  const simulator = JSON.parse(readFileSync(simulatorFile, "utf8")) as SimulatorState;
  if (simulator.version !== 1 || !Array.isArray(store.orders)) {
    throw new Error(
      `${dir} holds a sandbox this version does not understand; move it away to start fresh.`,
    );
  }
  return { store, simulator };
}

function writeAtomically(file: string, text: string) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export function saveSandbox(dir: string, saved: SavedSandbox): void {
  mkdirSync(dir, { recursive: true });
  // Store first: a simulator clock never runs ahead of the store it describes.
  writeAtomically(path.join(dir, STORE_FILE), JSON.stringify(saved.store));
  writeAtomically(path.join(dir, SIMULATOR_FILE), JSON.stringify(saved.simulator, null, 2));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One demo per directory: two would open the same PGlite files from two processes and corrupt
 * them. Returns the release function.
 */
export function lockSandbox(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new Error(
        `Another sandbox (pid ${pid}) is using ${dir}. Stop it first, or pass --data <another directory>.`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file);
    } catch {
      /* already gone */
    }
  };
}
