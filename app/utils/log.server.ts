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

/** JWTs (session tokens) and Shopify access/refresh tokens, wherever they appear in a line. */
const SECRETS =
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+|\bshp(?:at|ua|rt|ca|pa|ss)_[0-9a-f]{16,}|\bsealed:[\w+/=.:-]+/g;

/** The line with every token in it replaced by "[redacted]" (library debug lines quote them). */
export const redactSecrets = (line: string) => line.replace(SECRETS, "[redacted]");
