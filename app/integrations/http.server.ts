import type { z } from "zod";
import type { DeliveryVendor, Vendor } from "../../db/schema/index";
import { RetryableError, TerminalError } from "../jobs/errors";
import { systemClock } from "../utils/clock";
import { log } from "../utils/log.server";
import { vendorName } from "../utils/vendor-names";

/**
 * The HTTP core both vendor clients share: timeouts, pacing by a rate limiter, a record of every
 * call, and one classification of failures — 429, 5xx, timeouts and network errors are
 * RetryableError (with Retry-After); other 4xx are TerminalError carrying the vendor's message.
 * Clients never import the database; callers decide what to persist from `onCall`.
 */

/** One HTTP call as it happened (never carries headers or bodies: no secrets, no PII). */
export interface VendorCall {
  vendor: DeliveryVendor;
  operation: string;
  method: string;
  status: number | null;
  latencyMs: number;
  error?: string;
}

/**
 * Paces requests: `acquire` resolves when the operation may run; `throttled` reports a 429 (so
 * every process sharing the budget waits it out).
 */
export interface RequestPacer {
  acquire(operation: string, signal?: AbortSignal): Promise<void>;
  throttled(operation: string, retryAfterSeconds: number): Promise<void>;
}

export type VendorFailure =
  | "rate-limited"
  | "server-error"
  | "timeout"
  | "unreachable"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "rejected"
  | "unexpected-response";

export interface VendorErrorInfo {
  vendor: Vendor;
  operation: string;
  failure: VendorFailure;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  /** The vendor's error code, when it sends one (Klaviyo: `invalid`, `not_found`…). */
  code?: string;
  /** The vendor's own words. */
  detail: string;
}

function describe(info: Omit<VendorErrorInfo, "vendor"> & { vendor: Vendor }): string {
  const status = info.status === null ? "" : ` ${info.status}`;
  return `${vendorName(info.vendor)} ${info.operation} failed${status}: ${info.detail}`;
}

export class VendorRetryableError extends RetryableError implements VendorErrorInfo {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly failure: VendorFailure;
  readonly status: number | null;
  readonly code?: string;
  readonly detail: string;
  constructor(info: VendorErrorInfo, retryAfterSeconds?: number, options?: { cause?: unknown }) {
    super(describe(info), retryAfterSeconds, options);
    this.name = "VendorRetryableError";
    this.vendor = info.vendor;
    this.operation = info.operation;
    this.failure = info.failure;
    this.status = info.status;
    if (info.code) this.code = info.code;
    this.detail = info.detail;
  }
}

export class VendorTerminalError extends TerminalError implements VendorErrorInfo {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly failure: VendorFailure;
  readonly status: number | null;
  readonly code?: string;
  readonly detail: string;
  constructor(info: VendorErrorInfo, options?: { cause?: unknown }) {
    super(describe(info), options);
    this.name = "VendorTerminalError";
    this.vendor = info.vendor;
    this.operation = info.operation;
    this.failure = info.failure;
    this.status = info.status;
    if (info.code) this.code = info.code;
    this.detail = info.detail;
  }
}

export type VendorError = VendorRetryableError | VendorTerminalError;

export function isVendorError(error: unknown): error is VendorError {
  return error instanceof VendorRetryableError || error instanceof VendorTerminalError;
}

/**
 * Seconds from a Retry-After header (delta-seconds or an HTTP date); undefined if absent or bad.
 * An HTTP date is the vendor's wall clock, so it is counted from the response's own Date header
 * when there is one (RFC 9110), else from this machine's wall clock, not the app's clock.
 */
export function parseRetryAfter(
  value: string | null,
  responseDate: string | null = null,
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.ceil(Number(trimmed)));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  const sent = responseDate ? Date.parse(responseDate) : Number.NaN;
  const now = Number.isNaN(sent) ? systemClock.now().getTime() : sent;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** What a vendor's error body says, in its own words. */
export interface ParsedVendorError {
  detail: string;
  code?: string;
}

export interface VendorHttpOptions {
  vendor: Vendor;
  baseUrl: string;
  /** Sent with every request (auth, revision…). */
  headers: Record<string, string>;
  fetch: typeof fetch;
  timeoutMs: number;
  pacer?: RequestPacer;
  onCall?: (call: VendorCall) => void;
  /** Aborts in-flight requests (worker shutdown). */
  signal?: AbortSignal;
  /** Reads the vendor's error body (text as received; may be empty or not JSON). */
  parseError(status: number, body: string): ParsedVendorError;
}

export interface VendorRequest<S extends z.ZodType | undefined> {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the base URL, starting with "/". */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  contentType?: string;
  /** Parses a 2xx body; omit when the answer has none (202/204). */
  schema?: S;
}

export interface VendorResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

function failureFor(status: number): VendorFailure {
  if (status === 429) return "rate-limited";
  if (status >= 500 || status === 408 || status === 425) return "server-error";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  return "rejected";
}

function networkDetail(error: unknown): { failure: VendorFailure; detail: string } {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { failure: "unreachable", detail: `host not found (${code})` };
  const message = cause?.message ?? (error as Error)?.message ?? String(error);
  if (code && !message.includes(code))
    return { failure: "unreachable", detail: `${message} (${code})` };
  return { failure: "unreachable", detail: message };
}

export function createVendorHttp(options: VendorHttpOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");

  async function request<S extends z.ZodType | undefined = undefined>(
    req: VendorRequest<S>,
  ): Promise<VendorResponse<S extends z.ZodType ? z.output<S> : undefined>> {
    const url = new URL(base + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    await options.pacer?.acquire(req.operation, options.signal);
    // Let pending I/O land first: after CPU-heavy work (planning a 10,000-profile import) a
    // keep-alive socket the vendor closed meanwhile must be seen closed before it is reused.
    await new Promise((resolve) => setImmediate(resolve));
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
      headers["content-type"] = req.contentType ?? "application/json";
    }
    const started = performance.now();
    const record = (status: number | null, error?: string) =>
      options.onCall?.({
        vendor: options.vendor,
        operation: req.operation,
        method: req.method,
        status,
        latencyMs: Math.round(performance.now() - started),
        ...(error ? { error } : {}),
      });

    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, {
        method: req.method,
        headers,
        body,
        signal,
        redirect: "manual",
      });
      text = await response.text();
    } catch (error) {
      const timedOut = timeout.aborted;
      const shutdown = !timedOut && options.signal?.aborted;
      const { failure, detail } = timedOut
        ? { failure: "timeout" as const, detail: `no answer within ${options.timeoutMs} ms` }
        : shutdown
          ? {
              failure: "timeout" as const,
              detail: "request abandoned: the worker is shutting down",
            }
          : networkDetail(error);
      record(null, detail);
      throw new VendorRetryableError(
        { vendor: options.vendor, operation: req.operation, failure, status: null, detail },
        undefined,
        { cause: error },
      );
    }

    if (response.status >= 200 && response.status < 300) {
      if (!req.schema) {
        record(response.status);
        return { status: response.status, data: undefined as never, headers: response.headers };
      }
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const parsed = req.schema.safeParse(json);
      if (!parsed.success) {
        const detail = `unexpected answer: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join(".") || "(root)"} ${i.message}`)
          .join("; ")}`;
        record(response.status, detail);
        throw new VendorTerminalError({
          vendor: options.vendor,
          operation: req.operation,
          failure: "unexpected-response",
          status: response.status,
          detail,
        });
      }
      record(response.status);
      return { status: response.status, data: parsed.data as never, headers: response.headers };
    }

    if (response.status >= 300 && response.status < 400) {
      const detail = `redirected to ${response.headers.get("location") ?? "an unknown location"} (wrong address?)`;
      record(response.status, detail);
      throw new VendorTerminalError({
        vendor: options.vendor,
        operation: req.operation,
        failure: "not-found",
        status: response.status,
        detail,
      });
    }

    const { detail, code } = options.parseError(response.status, text);
    record(response.status, detail);
    const info: VendorErrorInfo = {
      vendor: options.vendor,
      operation: req.operation,
      failure: failureFor(response.status),
      status: response.status,
      ...(code ? { code } : {}),
      detail,
    };
    if (RETRYABLE_STATUSES.has(response.status)) {
      const retryAfter = parseRetryAfter(
        response.headers.get("retry-after"),
        response.headers.get("date"),
      );
      // Not recording the block (database unreachable) must not hide the vendor's answer: this
      // job still waits Retry-After, and other calls meet the vendor's 429 themselves.
      if (response.status === 429)
        await options.pacer
          ?.throttled(req.operation, retryAfter ?? 1)
          .catch((error) =>
            log.warn(
              `[integrations] could not share ${options.vendor}'s Retry-After: ${error instanceof Error ? error.message : error}`,
            ),
          );
      throw new VendorRetryableError(info, retryAfter);
    }
    throw new VendorTerminalError(info);
  }

  return { request };
}

export type VendorHttp = ReturnType<typeof createVendorHttp>;

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
