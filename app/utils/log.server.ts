import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

/**
 * The process's structured logger: one JSON object a line on stdout (see docs/logging.md).
 * Lines carry shop domains and ids, never customer data or secrets: the keys below are censored
 * wherever a caller puts them, and every message string goes through `redactSecrets`.
 */
export type { Logger };

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values are customer data or credentials, censored at any of the first three depths. */
const SENSITIVE_KEYS = [
  "email",
  "phone",
  "firstName",
  "lastName",
  "first_name",
  "last_name",
  "address",
  "address1",
  "address2",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "idToken",
  "sessionToken",
  "apiKey",
  "api_key",
  "privateKey",
  "secret",
  "password",
  "authorization",
  "Authorization",
  "cookie",
  "body",
];
export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Session tokens (JWTs), Shopify access/refresh/secret tokens, sealed credentials, Klaviyo
 * private keys and email addresses, wherever they appear in a string.
 */
const SECRETS =
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+|\bshp(?:at|ua|rt|ca|pa|ss)_[0-9a-f]{16,}|\bsealed:[\w+/=.:-]+|\bpk_[A-Za-z0-9]{16,}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** The line with every token in it replaced by "[redacted]" (library debug lines quote them). */
export const redactSecrets = (line: string) => line.replace(SECRETS, "[redacted]");

/** Fields every line logged inside `withLogContext` carries (shop, task, jobId…). */
export type LogContext = Record<string, string | number | null | undefined>;
const context = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` with `bindings` added to every line logged inside it, through any depth of calls:
 * the task runner sets shop, task and jobId once instead of threading a child logger everywhere.
 */
export function withLogContext<T>(bindings: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...bindings }, fn);
}

export interface LogSettings {
  level: LogLevel;
  /** Human-readable colored lines (pino-pretty, a devDependency): development only. */
  pretty: boolean;
}

/** Settings from the raw environment: the logger exists before env() validates the rest. */
export function logSettings(source: NodeJS.ProcessEnv): LogSettings {
  const level = LOG_LEVELS.find((candidate) => candidate === source.LOG_LEVEL) ?? "info";
  const pretty = source.NODE_ENV === "development" || source.LOG_PRETTY === "1";
  return { level, pretty };
}

const redactError = (error: unknown) => {
  if (typeof error === "string") return redactSecrets(error);
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const key of ["message", "stack"]) {
    if (typeof serialized[key] === "string") serialized[key] = redactSecrets(serialized[key]);
  }
  return serialized;
};

/** A logger with the redaction and fields above; `destination` is for tests. */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: redactError, error: redactError },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => context.getStore() ?? {},
    hooks: {
      logMethod(args, method) {
        const clean = args.map((arg: unknown) =>
          typeof arg === "string" ? redactSecrets(arg) : arg,
        ) as Parameters<typeof method>;
        method.apply(this, clean);
      },
    },
  };
  // Level names ("info"), not numbers, in the JSON a person greps; pino-pretty wants numbers.
  const json: LoggerOptions = { ...options, formatters: { level: (label) => ({ level: label }) } };
  if (destination) return pino(json, destination);
  // The target is resolved only here, so production never loads pino-pretty.
  if (settings.pretty)
    return pino({
      ...options,
      transport: {
        target: "pino-pretty",
        options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" },
      },
    });
  return pino(json);
}

/**
 * The process's logger, configured from LOG_LEVEL, NODE_ENV and LOG_PRETTY when first imported;
 * the composition root (app/runtime.server.ts) sets the validated level.
 */
export const log: Logger = createLogger(logSettings(process.env));
