import { DEFAULT_RETRY } from "../app/jobs/define-task";
import type { FakeRequest, FaultKnobs } from "./fakes/common";

/**
 * Failures a person can practise in the sandbox: a vendor outage (every call answered with a
 * server error until it ends), a rate limit (the next calls answered 429 with Retry-After), and a
 * malformed webhook. They act on the same loopback fakes the app talks to, so what follows is
 * what production does: deliveries retry with backoff, then land in Activity's failures with
 * Retry; the bad webhook is kept with its reason.
 */

export const FAULT_VENDORS = ["klaviyo", "gorgias", "shopify"] as const;
export type FaultVendor = (typeof FAULT_VENDORS)[number];

export const VENDOR_NAMES: Record<FaultVendor, string> = {
  klaviyo: "Klaviyo",
  gorgias: "Gorgias",
  shopify: "Shopify Admin API",
};

/** What the panel needs of a fake: its fault knobs. */
export interface FaultTarget {
  readonly faults: FaultKnobs;
  setFaults(faults: Partial<FaultKnobs>): void;
}

export type FaultAction =
  | { action: "outage-start"; vendor: FaultVendor }
  | { action: "outage-end"; vendor: FaultVendor }
  | { action: "rate-limit"; vendor: FaultVendor; calls: number }
  | { action: "malformed-webhook" };

export interface VendorFaultStatus {
  vendor: FaultVendor;
  name: string;
  /** ISO instant the outage began; null: answering normally. */
  outageSince: string | null;
  /** Calls still to be answered 429. */
  rateLimitedCalls: number;
  retryAfterSeconds: number;
}

export interface FaultStatus {
  vendors: VendorFaultStatus[];
  /** How long a delivery keeps retrying before it is shown as failed with Retry, in minutes. */
  retryWindowMinutes: number;
  retryAttempts: number;
  /** The last malformed webhook sent (its id), if any. */
  lastMalformedWebhook: string | null;
}

/** Seconds a rate-limited call is told to wait. */
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 30;
export const MAX_RATE_LIMITED_CALLS = 500;

/** The backoff a delivery goes through (pg-boss doubles the delay each retry, up to its cap). */
export function retryWindowSeconds(retry = DEFAULT_RETRY): number {
  let total = 0;
  for (let attempt = 0; attempt < retry.retryLimit; attempt++)
    total += Math.min(retry.retryDelaySeconds * 2 ** attempt, retry.retryDelayMaxSeconds);
  return total;
}

/** Only the Admin API fails for Shopify: token exchange and the billing page keep working. */
const SHOPIFY_ADMIN_API = (request: FakeRequest) => request.path.includes("/admin/api/");

export function parseFaultAction(body: unknown): FaultAction | { error: string } {
  if (typeof body !== "object" || body === null) return { error: "body must be a JSON object" };
  const { action, vendor, calls } = body as Record<string, unknown>;
  if (action === "malformed-webhook") return { action };
  if (!FAULT_VENDORS.includes(vendor as FaultVendor))
    return { error: `vendor must be one of ${FAULT_VENDORS.join(", ")}` };
  const v = vendor as FaultVendor;
  if (action === "outage-start" || action === "outage-end") return { action, vendor: v };
  if (action === "rate-limit") {
    const n = calls === undefined ? 10 : calls;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_RATE_LIMITED_CALLS)
      return { error: `calls must be a whole number from 1 to ${MAX_RATE_LIMITED_CALLS}` };
    return { action, vendor: v, calls: n };
  }
  return {
    error: 'action must be "outage-start", "outage-end", "rate-limit" or "malformed-webhook"',
  };
}

export class FaultPanel {
  private readonly outages = new Map<FaultVendor, Date>();
  private lastMalformed: string | null = null;

  constructor(
    private readonly targets: Record<FaultVendor, FaultTarget>,
    private readonly options: {
      now?: () => Date;
      /** Sends one malformed webhook to the app; resolves with its webhook id. */
      sendMalformedWebhook?: () => Promise<string>;
    } = {},
  ) {}

  status(): FaultStatus {
    return {
      vendors: FAULT_VENDORS.map((vendor) => ({
        vendor,
        name: VENDOR_NAMES[vendor],
        outageSince: this.outages.get(vendor)?.toISOString() ?? null,
        rateLimitedCalls: this.targets[vendor].faults.burst429,
        retryAfterSeconds: this.targets[vendor].faults.retryAfterSeconds,
      })),
      retryWindowMinutes: Math.round(retryWindowSeconds() / 60),
      retryAttempts: DEFAULT_RETRY.retryLimit + 1,
      lastMalformedWebhook: this.lastMalformed,
    };
  }

  async apply(action: FaultAction): Promise<FaultStatus> {
    if (action.action === "malformed-webhook") {
      if (!this.options.sendMalformedWebhook)
        throw new Error("No simulator is running to send the webhook");
      this.lastMalformed = await this.options.sendMalformedWebhook();
      return this.status();
    }
    const target = this.targets[action.vendor];
    const appliesTo = action.vendor === "shopify" ? SHOPIFY_ADMIN_API : undefined;
    if (action.action === "outage-start") {
      target.setFaults({ errorRate: 1, appliesTo });
      if (!this.outages.has(action.vendor))
        this.outages.set(action.vendor, (this.options.now ?? (() => new Date()))());
    } else if (action.action === "outage-end") {
      target.setFaults({ errorRate: 0 });
      this.outages.delete(action.vendor);
    } else {
      target.setFaults({
        burst429: action.calls,
        retryAfterSeconds: RATE_LIMIT_RETRY_AFTER_SECONDS,
        appliesTo,
      });
    }
    return this.status();
  }
}
