/**
 * Minimal leveled logger. Lines carry ids, never customer data or secrets: callers pass
 * shop domains and numeric ids only.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level;
  return LEVELS[level] ?? LEVELS.info;
}

const write = (level: Exclude<Level, "silent">, message: string) => {
  if (LEVELS[level] < threshold()) return;
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(message);
};

export const log = {
  debug: (message: string) => write("debug", message),
  info: (message: string) => write("info", message),
  warn: (message: string) => write("warn", message),
  error: (message: string) => write("error", message),
};
