import { env } from "../env.server";

/** Where the vendor APIs live and how long a request may take. */
export interface VendorEndpoints {
  /** Klaviyo's origin, e.g. https://a.klaviyo.com. */
  klaviyoBaseUrl: string;
  /** Gorgias's API base; `{domain}` is replaced by the merchant's subdomain when present. */
  gorgiasBaseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

declare global {
  var __switchboardVendorEndpoints: Partial<VendorEndpoints> | undefined;
}

/** The endpoints from the environment, with any process-wide override applied. */
export function vendorEndpoints(): VendorEndpoints {
  const config = env();
  return {
    klaviyoBaseUrl: config.KLAVIYO_API_URL,
    gorgiasBaseUrl: config.GORGIAS_API_URL,
    timeoutMs: config.VENDOR_TIMEOUT_MS,
    // Looked up at call time so a process that swaps fetch (instrumentation) is honoured.
    fetch: (input, init) => globalThis.fetch(input, init),
    ...globalThis.__switchboardVendorEndpoints,
  };
}

/**
 * Points this process's Klaviyo and Gorgias clients somewhere else (the loopback fakes in tests
 * and benchmarks, whose ports are only known once they listen). `undefined` restores the
 * environment's endpoints.
 */
export function setVendorEndpoints(next: Partial<VendorEndpoints> | undefined): void {
  globalThis.__switchboardVendorEndpoints = next;
}

/** The Gorgias API base for a helpdesk subdomain. */
export function gorgiasApiUrl(domain: string, template = vendorEndpoints().gorgiasBaseUrl): string {
  return template.replace("{domain}", encodeURIComponent(domain)).replace(/\/+$/, "");
}
