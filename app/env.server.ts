import { z } from "zod";

/**
 * The app's environment contract. Parsed once at boot; a bad or missing variable stops the
 * process with a message naming every problem at once.
 *
 * Outside production, the Shopify credentials fall back to local placeholders so that
 * `npm install && npm start` works on a fresh clone with no setup. Those placeholders can
 * never authenticate against a real store, and production refuses to boot without real values.
 */
const LOCAL_DEFAULTS = {
  SHOPIFY_API_KEY: "local-dev-api-key",
  SHOPIFY_API_SECRET: "local-dev-api-secret",
  // 32 bytes, base64. Only for local data that never leaves the machine.
  ENCRYPTION_KEYS: "local:" + Buffer.alloc(32, 7).toString("base64"),
} as const;

const encryptionKeysSchema = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const entry of value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [id, material] = entry.split(":");
      const key = material ? Buffer.from(material, "base64") : Buffer.alloc(0);
      if (!id || key.length !== 32) {
        ctx.addIssue({
          code: "custom",
          message: `each entry must be "<key id>:<32 bytes as base64>" (problem near "${id ?? ""}")`,
        });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === id)) {
        // Sealed secrets name their key by id: two keys under one id would decrypt with the wrong one.
        ctx.addIssue({
          code: "custom",
          message: `key id "${id}" appears twice; give each key its own id`,
        });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    return keys;
  });

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "required: the app's client id from the Partner Dashboard"),
    SHOPIFY_API_SECRET: z.string().min(1, "required: the app's client secret"),
    SHOPIFY_APP_URL: z.url("must be the app's public https URL").default("http://localhost:3000"),
    SCOPES: z.string().optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(
        /^postgres(ql)?:\/\//,
        "must start with postgres:// (leave unset for the embedded PGlite store)",
      )
      .optional(),
    /**
     * Set when DATABASE_URL goes through a transaction-mode pooler (PgBouncer): a direct
     * connection for pg-boss's LISTEN/NOTIFY and the migration lock (docs/deploy.md).
     */
    DATABASE_DIRECT_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres://")
      .optional(),
    /**
     * Production runs on PostgreSQL; PGlite there (one process, data on the container's disk)
     * must be asked for by name so a forgotten DATABASE_URL cannot silently lose data.
     */
    USE_PGLITE: z
      .enum(["1", "true", "0", "false"], "must be 1 or 0")
      .default("0")
      .transform((value) => value === "1" || value === "true"),
    PGLITE_DATA_DIR: z.string().min(1).default("./data/pglite"),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** How long a PostgreSQL query may go unanswered before its connection is dropped. */
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
    WORKERS: z.enum(["in-process", "external"]).default("in-process"),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /**
     * Jobs of one task a shop may enqueue per 10 s (per process) before its further jobs queue
     * behind other shops' (docs/architecture.md, "Fair to every shop").
     */
    SHOP_BURST_JOBS: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** `npm run worker` serves /healthz and /readyz on this port when set (it has no other HTTP). */
    HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    ENCRYPTION_KEYS: encryptionKeysSchema,
    /** Days a raw webhook payload is kept (webhook_events) before the daily purge deletes it. */
    WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Days a recipe run (recipe_runs) and a vendor call record (delivery_attempts) are kept. */
    RECIPE_RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    /** How far back the history import at install reaches (orders created in the last N days). */
    HISTORY_IMPORT_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    /** Klaviyo's API origin; the sandbox and tests point it at the loopback fake. */
    KLAVIYO_API_URL: z
      .url("must be a URL such as https://a.klaviyo.com")
      .default("https://a.klaviyo.com"),
    /**
     * Gorgias's API base. `{domain}` is replaced by the merchant's helpdesk subdomain; a URL
     * without it (the sandbox fake) serves every domain.
     */
    GORGIAS_API_URL: z
      .string()
      .refine(
        (value) => URL.canParse(value.replace("{domain}", "x")),
        "must be a URL such as https://{domain}.gorgias.com/api",
      )
      .default("https://{domain}.gorgias.com/api"),
    /** How long one Klaviyo or Gorgias request may take before it counts as a timeout. */
    VENDOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** When set, /metrics answers only scrapes sending `Authorization: Bearer <token>` (docs/metrics.md). */
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** 1: human-readable log lines (pino-pretty) outside development too; read by log.server.ts. */
    LOG_PRETTY: z.enum(["0", "1"]).optional(),
    /**
     * Where embedded pages load App Bridge from; unset means Shopify's CDN. `npm run demo` points
     * it at the sandbox's local stand-in. Shopify's library reads it too (for its bounce page).
     */
    APP_BRIDGE_URL: z.url("must be the URL of an App Bridge script").optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_DIRECT_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_DIRECT_URL"],
        message: "set without DATABASE_URL; it is the direct path beside DATABASE_URL's pooler",
      });
    }
    if (env.NODE_ENV !== "production") return;
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET"] as const) {
      if (env[name] === LOCAL_DEFAULTS[name]) {
        ctx.addIssue({ code: "custom", path: [name], message: "required in production" });
      }
    }
    if (!env.DATABASE_URL && !env.USE_PGLITE) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message:
          "required in production (postgres://…); to run on the embedded PGlite store instead, set USE_PGLITE=1",
      });
    }
    if (env.DATABASE_URL && env.USE_PGLITE) {
      ctx.addIssue({
        code: "custom",
        path: ["USE_PGLITE"],
        message: "set together with DATABASE_URL; choose one database",
      });
    }
    if (env.APP_BRIDGE_URL && !env.APP_BRIDGE_URL.startsWith("https://")) {
      ctx.addIssue({
        code: "custom",
        path: ["APP_BRIDGE_URL"],
        message:
          "must be https in production (the sandbox's local stand-in is for development only)",
      });
    }
  });

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Invalid environment — fix these and start again:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "EnvError";
  }
}

/** Parses an environment; throws EnvError naming every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const isProduction = source.NODE_ENV === "production";
  const withDefaults = isProduction
    ? source
    : {
        ...source,
        SHOPIFY_API_KEY: source.SHOPIFY_API_KEY || LOCAL_DEFAULTS.SHOPIFY_API_KEY,
        SHOPIFY_API_SECRET: source.SHOPIFY_API_SECRET || LOCAL_DEFAULTS.SHOPIFY_API_SECRET,
        ENCRYPTION_KEYS: source.ENCRYPTION_KEYS || LOCAL_DEFAULTS.ENCRYPTION_KEYS,
      };
  const cleaned = Object.fromEntries(
    Object.entries(withDefaults).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const missing = issue.code === "invalid_type" && cleaned[name] === undefined;
    return `${name}: ${missing ? "missing" : issue.message}`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The process environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
