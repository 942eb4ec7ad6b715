import { randomBytes } from "node:crypto";
import type { Db } from "../db.server";
import { env } from "../env.server";
import {
  deleteIntegration,
  getIntegration,
  markIntegrationError,
  gorgiasCredentials,
  klaviyoCredentials,
  saveGorgiasConnection,
  saveKlaviyoConnection,
  updateKlaviyoCheck,
} from "../models/integrations.server";
import { recordVendorCalls } from "../models/deliveries.server";
import { log } from "../utils/log.server";
import { gorgiasApiUrl } from "./config.server";
import type { Enqueuer } from "../jobs/contracts";
import { createGorgiasClient, GORGIAS_TRIGGERS } from "./gorgias/client.server";
import { startTicketImport } from "./gorgias/ticket-import.server";
import { isVendorError, type VendorCall, type VendorError } from "./http.server";
import { createKlaviyoClient, type KlaviyoKeyCheck } from "./klaviyo/client.server";
import { shopPacer } from "./rate-limiter.server";

/**
 * Connecting, checking and disconnecting Klaviyo and Gorgias for a shop. Every failure comes
 * back as a message for the form field it concerns (never an exception, never the secret).
 */

export type ConnectField = "apiKey" | "domain" | "email" | "form";
export type ConnectResult<T> =
  { ok: true; value: T } | { ok: false; field: ConnectField; message: string };

/** The header Gorgias sends our per-shop secret in. */
export const GORGIAS_SECRET_HEADER = "X-Switchboard-Token";
export const GORGIAS_INTEGRATION_NAME = "Switchboard";

/** The body Gorgias renders for every ticket-created / ticket-updated call. */
export const GORGIAS_WEBHOOK_FORM = {
  ticket_id: "{{ticket.id}}",
  status: "{{ticket.status}}",
  customer_email: "{{ticket.customer.email}}",
  updated_datetime: "{{ticket.updated_datetime}}",
  spam: "{{ticket.spam}}",
  trashed_datetime: "{{ticket.trashed_datetime}}",
  created_datetime: "{{ticket.created_datetime}}",
  closed_datetime: "{{ticket.closed_datetime}}",
  from_agent: "{{ticket.from_agent}}",
  message_from_agent: "{{message.from_agent}}",
  message_channel: "{{message.channel}}",
  message_created_datetime: "{{message.created_datetime}}",
} as const;

export function gorgiasWebhookUrl(shop: string, appUrl = env().SHOPIFY_APP_URL): string {
  const url = new URL("/integrations/gorgias/webhook", appUrl);
  url.searchParams.set("shop", shop);
  return url.toString();
}

function hostOf(url: string) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Vendor failures as a merchant reads them, on the field to fix. */
function explain(
  vendorName: string,
  error: VendorError,
  url: string,
  fields: { credentials: ConnectField; address: ConnectField },
): { field: ConnectField; message: string } {
  const host = hostOf(url);
  switch (error.failure) {
    case "unauthorized":
      return {
        field: fields.credentials,
        message: `${vendorName} did not accept these credentials (${error.detail}). Check that you copied the whole key.`,
      };
    case "forbidden":
      return {
        field: fields.credentials,
        message: `${vendorName} accepted the key but refused this request: ${error.detail}`,
      };
    case "unreachable":
      return error.detail.startsWith("host not found")
        ? { field: fields.address, message: `Couldn't find ${host}: check the address.` }
        : {
            field: "form",
            message: `Couldn't reach ${vendorName} at ${host} (${error.detail}). Try again in a minute.`,
          };
    case "timeout":
      return {
        field: "form",
        message: `${vendorName} at ${host} did not answer in time. Try again in a minute.`,
      };
    case "rate-limited":
      return {
        field: "form",
        message: `${vendorName} is rate limiting requests right now. Try again in a minute.`,
      };
    case "server-error":
      return {
        field: "form",
        message: `${vendorName} had a problem (${error.status}): ${error.detail}. Try again in a minute.`,
      };
    case "not-found":
      return {
        field: fields.address,
        message: `${host} is not a ${vendorName} API (${error.detail}). Check the address.`,
      };
    default:
      return { field: "form", message: `${vendorName} refused the check: ${error.detail}` };
  }
}

async function recordChecks(
  db: Db,
  shop: string,
  vendor: "klaviyo" | "gorgias",
  calls: VendorCall[],
) {
  await recordVendorCalls(db, { shop, vendor, deliveryId: null, attempt: 1 }, calls).catch(
    (error) =>
      log.warn(
        `[integrations] could not record ${vendor} check calls for ${shop}: ${error instanceof Error ? error.message : error}`,
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// Klaviyo

export interface KlaviyoConnection {
  accountName: string | null;
  missingScopes: string[];
}

async function checkKlaviyoKey(
  db: Db,
  shop: string,
  apiKey: string,
  calls: VendorCall[],
): Promise<ConnectResult<KlaviyoKeyCheck>> {
  const client = createKlaviyoClient({
    apiKey,
    pacer: shopPacer("klaviyo", shop, { db, maxWaitMs: 5_000 }),
    onCall: (c) => calls.push(c),
  });
  try {
    return { ok: true, value: await client.checkKey() };
  } catch (error) {
    if (!isVendorError(error)) throw error;
    return {
      ok: false,
      ...explain("Klaviyo", error, client.baseUrl, { credentials: "apiKey", address: "form" }),
    };
  }
}

/** Checks a private API key with real calls and, if Klaviyo accepts it, stores it (encrypted). */
export async function connectKlaviyo(
  db: Db,
  shop: string,
  apiKey: string,
): Promise<ConnectResult<KlaviyoConnection>> {
  const calls: VendorCall[] = [];
  const checked = await checkKlaviyoKey(db, shop, apiKey.trim(), calls);
  await recordChecks(db, shop, "klaviyo", calls);
  if (!checked.ok) return checked;
  const { account, granted, missing } = checked.value;
  await saveKlaviyoConnection(db, shop, {
    apiKey: apiKey.trim(),
    accountId: account?.id ?? null,
    accountName: account?.name ?? null,
    granted,
    missing,
  });
  log.info(
    `[integrations] ${shop} connected Klaviyo (missing scopes: ${missing.join(", ") || "none"})`,
  );
  return { ok: true, value: { accountName: account?.name ?? null, missingScopes: missing } };
}

/** Re-runs the check with the stored key (scopes may have changed in Klaviyo). */
export async function recheckKlaviyo(
  db: Db,
  shop: string,
): Promise<ConnectResult<KlaviyoConnection>> {
  const row = await getIntegration(db, shop, "klaviyo");
  if (!row) return { ok: false, field: "form", message: "Klaviyo is not connected." };
  const calls: VendorCall[] = [];
  const checked = await checkKlaviyoKey(db, shop, klaviyoCredentials(row).apiKey, calls);
  await recordChecks(db, shop, "klaviyo", calls);
  if (!checked.ok) {
    if (checked.field === "apiKey")
      await markIntegrationError(db, shop, "klaviyo", checked.message);
    return checked;
  }
  const { account, granted, missing } = checked.value;
  await updateKlaviyoCheck(db, shop, {
    accountId: account?.id ?? null,
    accountName: account?.name ?? null,
    granted,
    missing,
  });
  return { ok: true, value: { accountName: account?.name ?? null, missingScopes: missing } };
}

// ---------------------------------------------------------------------------------------------
// Gorgias

export interface GorgiasInput {
  domain: string;
  email: string;
  apiKey: string;
}

export interface GorgiasConnection {
  domain: string;
  userEmail: string | null;
  webhookRegistered: boolean;
}

function gorgiasClient(db: Db, shop: string, input: GorgiasInput, calls: VendorCall[]) {
  return createGorgiasClient({
    ...input,
    pacer: shopPacer("gorgias", shop, { db, maxWaitMs: 5_000 }),
    onCall: (c) => calls.push(c),
  });
}

/** "Test connection": one authenticated call; the key must belong to the helpdesk typed in. */
export async function testGorgias(
  db: Db,
  shop: string,
  input: GorgiasInput,
): Promise<ConnectResult<GorgiasConnection>> {
  const calls: VendorCall[] = [];
  const client = gorgiasClient(db, shop, input, calls);
  try {
    const account = await client.getAccount();
    if (account.domain.toLowerCase() !== input.domain.toLowerCase()) {
      return {
        ok: false,
        field: "domain",
        message: `These credentials belong to the helpdesk "${account.domain}", not "${input.domain}".`,
      };
    }
    return {
      ok: true,
      value: { domain: account.domain, userEmail: account.userEmail, webhookRegistered: false },
    };
  } catch (error) {
    if (!isVendorError(error)) throw error;
    const url = gorgiasApiUrl(input.domain);
    const explained = explain("Gorgias", error, url, { credentials: "apiKey", address: "domain" });
    if (
      error.failure === "not-found" ||
      (error.failure === "unreachable" && explained.field === "domain")
    ) {
      return {
        ok: false,
        field: "domain",
        message: `No Gorgias helpdesk answers at ${hostOf(url)}: check the domain (the "acme" in acme.gorgias.com).`,
      };
    }
    return { ok: false, ...explained };
  } finally {
    await recordChecks(db, shop, "gorgias", calls);
  }
}

/**
 * Tests the credentials, registers (or refreshes) our HTTP integration in the merchant's Gorgias
 * so ticket changes reach us, stores the connection, then starts importing the tickets open
 * right now in the background (after registering, so a change made meanwhile reaches us as a
 * call). Connecting again is harmless: an import still running carries on.
 */
export async function connectGorgias(
  db: Db,
  queue: Enqueuer,
  shop: string,
  input: GorgiasInput,
  options: { appUrl?: string } = {},
): Promise<ConnectResult<GorgiasConnection>> {
  const tested = await testGorgias(db, shop, input);
  if (!tested.ok) return tested;
  const previous = await getIntegration(db, shop, "gorgias");
  const webhookSecret =
    previous && previous.gorgiasDomain === input.domain
      ? gorgiasCredentials(previous).webhookSecret
      : randomBytes(32).toString("base64url");
  const calls: VendorCall[] = [];
  const client = gorgiasClient(db, shop, input, calls);
  let httpIntegrationId: number | null = null;
  try {
    const registered = await client.ensureHttpIntegration({
      name: GORGIAS_INTEGRATION_NAME,
      url: gorgiasWebhookUrl(shop, options.appUrl),
      headers: { [GORGIAS_SECRET_HEADER]: webhookSecret },
      form: { ...GORGIAS_WEBHOOK_FORM },
      triggers: GORGIAS_TRIGGERS,
    });
    httpIntegrationId = registered.id;
  } catch (error) {
    if (!isVendorError(error)) throw error;
    const explained = explain("Gorgias", error, client.baseUrl, {
      credentials: "apiKey",
      address: "domain",
    });
    return {
      ok: false,
      field: explained.field,
      message: `Connected, but Gorgias refused to register Switchboard's ticket updates: ${explained.message} The user needs permission to manage integrations.`,
    };
  } finally {
    await recordChecks(db, shop, "gorgias", calls);
  }
  await saveGorgiasConnection(db, shop, { ...input, webhookSecret, httpIntegrationId });
  await startTicketImport(db, queue, shop, {
    restart: previous?.gorgiasDomain !== input.domain,
  });
  log.info(`[integrations] ${shop} connected Gorgias (${input.domain})`);
  return { ok: true, value: { ...tested.value, webhookRegistered: true } };
}

/**
 * Disconnects: for Gorgias, first removes our HTTP integration from the helpdesk (best effort:
 * a revoked key must not keep the merchant from disconnecting), then forgets the credentials.
 */
export async function disconnect(
  db: Db,
  shop: string,
  vendor: "klaviyo" | "gorgias",
): Promise<{ removedWebhook: boolean }> {
  const row = await getIntegration(db, shop, vendor);
  let removedWebhook = false;
  if (row && vendor === "gorgias" && row.gorgiasHttpIntegrationId !== null) {
    const calls: VendorCall[] = [];
    try {
      const client = gorgiasClient(
        db,
        shop,
        {
          domain: row.gorgiasDomain ?? "",
          email: row.gorgiasEmail ?? "",
          apiKey: gorgiasCredentials(row).apiKey,
        },
        calls,
      );
      await client.deleteIntegration(row.gorgiasHttpIntegrationId);
      removedWebhook = true;
    } catch (error) {
      log.warn(
        `[integrations] ${shop}: could not remove the Gorgias HTTP integration: ${isVendorError(error) ? error.message : String(error)}`,
      );
    } finally {
      await recordChecks(db, shop, "gorgias", calls);
    }
  }
  await deleteIntegration(db, shop, vendor);
  log.info(`[integrations] ${shop} disconnected ${vendor}`);
  return { removedWebhook };
}
