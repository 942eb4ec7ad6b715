import { DrizzleQueryError } from "drizzle-orm/errors";

/**
 * How a task executor says a failure should be treated. Anything not a TerminalError is
 * retried with backoff until the task's retry limit; then it is dead-lettered.
 */
export class RetryableError extends Error {
  constructor(
    message: string,
    /** Seconds the vendor asked us to wait (Retry-After), if any. */
    public readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/** A failure retrying cannot fix (bad input, revoked access): dead-letter at once. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalError";
  }
}

/** The SQLSTATE of a database error, also when Drizzle wrapped it. */
export function databaseErrorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A value the database cannot store (SQLSTATE class 22: a number out of range, an impossible
 * date, a NUL character): the same input fails the same way on every try.
 */
export function isDataException(error: unknown): boolean {
  return databaseErrorCode(error)?.startsWith("22") ?? false;
}

/** Shopify statuses that no retry fixes: unauthorized, payment required, forbidden, not found, locked. */
const TERMINAL_SHOPIFY_STATUSES = new Set([401, 402, 403, 404, 423]);

/**
 * Whether an error should stop retries. TerminalError, validation failures (zod), a missing
 * Shopify session, and Shopify's terminal HTTP statuses are terminal; everything else retries.
 */
export function isTerminal(error: unknown): boolean {
  if (error instanceof TerminalError) return true;
  if (error instanceof RetryableError) return false;
  if (isDataException(error)) return true;
  if (error && typeof error === "object") {
    const name = (error as { name?: string }).name;
    if (name === "ZodError" || name === "$ZodError") return true;
    if (name === "SessionNotFoundError") return true;
    const status =
      (error as { response?: { code?: number; status?: number } }).response?.code ??
      (error as { response?: { status?: number } }).response?.status ??
      (error as { status?: number }).status;
    if (typeof status === "number" && TERMINAL_SHOPIFY_STATUSES.has(status)) return true;
    const message = (error as { message?: string }).message ?? "";
    if (/could not find a session|no session found/i.test(message)) return true;
  }
  return false;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "ZodError" || error.name === "$ZodError") {
      const issues = (error as unknown as { issues: { path: PropertyKey[]; message: string }[] })
        .issues;
      return issues
        .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
        .join("; ");
    }
    // Drizzle's "Failed query: … params: …" repeats the statement and its values (which can hold a
    // customer's email); what the database said is the cause.
    if (error instanceof DrizzleQueryError && error.cause instanceof Error) {
      return `database: ${error.cause.message}`;
    }
    return error.message;
  }
  // pg-boss emits some errors as plain objects ({ message, … }); String() would say [object Object].
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message;
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}
