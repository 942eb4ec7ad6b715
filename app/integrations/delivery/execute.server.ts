import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import {
  klaviyoListMembers,
  type DeliveryVendor,
  type Integration,
  type Vendor,
} from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { errorMessage, isTerminal, RetryableError, TerminalError } from "../../jobs/errors";
import type { TaskHelpers } from "../../jobs/define-task";
import type { Clock } from "../../utils/clock";
import {
  findDelivery,
  holdDelivery,
  markDeliveryFailed,
  markDeliverySucceeded,
  recordVendorCalls,
  startDeliveryAttempt,
} from "../../models/deliveries.server";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import {
  getIntegration,
  gorgiasCredentials,
  klaviyoCredentials,
  markIntegrationError,
} from "../../models/integrations.server";
import { deliveriesTotal } from "../../metrics.server";
import { log } from "../../utils/log.server";
import {
  createGorgiasClient,
  GORGIAS_EXTERNAL_ID_MAX,
  type GorgiasClient,
} from "../gorgias/client.server";
import {
  isVendorError,
  VendorRetryableError,
  VendorTerminalError,
  type VendorCall,
} from "../http.server";
import { createKlaviyoClient, type KlaviyoClient } from "../klaviyo/client.server";
import { cachedKlaviyoListId, ensureKlaviyoList, forgetKlaviyoList } from "../klaviyo/lists.server";
import { shopPacer } from "../rate-limiter.server";
import { adminRequest, AdminRequestError, type AdminData } from "../shopify-admin/client.server";
import { TAGS_ADD_MUTATION } from "../shopify-admin/graphql/TagsAddMutation";
import { shopifyGid } from "../../utils/shopify-id";
import {
  deliveryActionSchema,
  ERASURE_KINDS,
  klaviyoUniqueId,
  vendorOf,
  type DeliveryAction,
} from "./actions";
import { vendorName } from "../../utils/vendor-names";
import { storedHeldReason } from "../../recipes/integration-copy";

export interface DeliveryJobPayload {
  shop: string;
  sourceId: string;
}

interface Outcome {
  vendorId?: string | null;
  response?: Record<string, unknown>;
}

/** Gorgias's external_id is ≤ 255 characters: longer keys are hashed (still deterministic). */
export function gorgiasExternalId(key: string): string {
  return key.length <= GORGIAS_EXTERNAL_ID_MAX
    ? key
    : `switchboard:sha256:${createHash("sha256").update(key).digest("hex")}`;
}

/**
 * Runs one delivery job: reads the deliveries row by its idempotency key (nothing to do when it
 * already succeeded, or was redacted), calls the vendor with this shop's own credentials, then
 * records the outcome and every HTTP call. Errors are rethrown for the queue's retry policy.
 */
export async function runDelivery(
  vendor: DeliveryVendor,
  key: string,
  payload: DeliveryJobPayload,
  helpers: TaskHelpers,
): Promise<void> {
  const db = helpers.database.db;
  const delivery = await findDelivery(db, payload.shop, key);
  if (!delivery) {
    log.warn(`[deliveries] ${key}: no deliveries row (redacted or never requested); nothing to do`);
    return;
  }
  if (delivery.status === "succeeded") return;
  // Held work has no job until it is released; dropped work is never sent.
  if (delivery.status === "waiting" || delivery.status === "dropped") return;
  await startDeliveryAttempt(db, delivery.id);
  const calls: VendorCall[] = [];
  try {
    const action = deliveryActionSchema.parse(delivery.payload);
    if (action.shop !== payload.shop || vendorOf(action.kind) !== vendor) {
      throw new TerminalError(`delivery ${key} does not belong to ${payload.shop}/${vendor}`);
    }
    const context = {
      db,
      shop: payload.shop,
      key,
      calls,
      signal: helpers.signal,
      clock: helpers.clock,
    };
    const outcome = await EXECUTORS[vendor](action, context);
    // An erasure keeps the person's identifier only until the vendor has accepted it.
    const erased = ERASURE_KINDS.has(action.kind)
      ? { kind: action.kind, shop: action.shop, recipe: action.recipe, source: action.source }
      : undefined;
    await markDeliverySucceeded(db, delivery.id, { ...outcome, payload: erased });
    deliveriesTotal.inc({ vendor, outcome: "succeeded" });
  } catch (error) {
    if (error instanceof NotConnectedError) {
      // Disconnected while this waited for its turn: held like work decided while disconnected,
      // and sent when the merchant reconnects (or dropped, with the reason, after a week).
      await holdDelivery(db, delivery.id, storedHeldReason("heldWaiting", vendor));
      deliveriesTotal.inc({ vendor, outcome: "held" });
      log.info(`[deliveries] ${key}: ${vendor} is not connected; held until it is`);
      return;
    }
    const terminal = isTerminal(error);
    await markDeliveryFailed(db, delivery.id, errorMessage(error), terminal);
    deliveriesTotal.inc({
      vendor,
      outcome: terminal
        ? "failed"
        : error instanceof RetryableError && error.retryAfterSeconds !== undefined
          ? "deferred"
          : "retry",
    });
    if (
      vendor !== "shopify" &&
      isVendorError(error) &&
      (error.failure === "unauthorized" || error.failure === "forbidden")
    ) {
      await markIntegrationError(
        db,
        payload.shop,
        vendor,
        `${vendorName(vendor)} refused the stored credentials: ${error.detail}`,
      );
    }
    throw error;
  } finally {
    await recordVendorCalls(
      db,
      { shop: payload.shop, vendor, deliveryId: delivery.id, attempt: helpers.attempt },
      calls,
    );
  }
}

interface Context {
  db: Db;
  shop: string;
  key: string;
  calls: VendorCall[];
  signal: AbortSignal;
  clock: Clock;
}

type Executor = (action: DeliveryAction, context: Context) => Promise<Outcome>;

/** Each vendor's side of the one delivery path: the action in, the vendor's answer out. */
const EXECUTORS: Record<DeliveryVendor, Executor> = {
  klaviyo: deliverToKlaviyo,
  gorgias: deliverToGorgias,
  shopify: deliverToShopify,
};

/** The vendor is not connected for the shop: the delivery is held, not failed. */
class NotConnectedError extends TerminalError {}

/** The shop's connection to a vendor it connects under Integrations (none: the delivery waits). */
async function connection(context: Context, vendor: Vendor): Promise<Integration> {
  const integration = await getIntegration(context.db, context.shop, vendor);
  if (!integration) {
    throw new NotConnectedError(
      `${vendorName(vendor)} is not connected for this shop: connect it under Integrations, then retry`,
    );
  }
  return integration;
}

export function klaviyoClientFor(
  db: Db,
  integration: Integration,
  options: { calls?: VendorCall[]; signal?: AbortSignal; maxWaitMs?: number } = {},
): KlaviyoClient {
  const { apiKey } = klaviyoCredentials(integration);
  return createKlaviyoClient({
    apiKey,
    pacer: shopPacer("klaviyo", integration.shop, { db, maxWaitMs: options.maxWaitMs }),
    onCall: options.calls ? (call) => options.calls!.push(call) : undefined,
    signal: options.signal,
  });
}

export function gorgiasClientFor(
  db: Db,
  integration: Integration,
  options: { calls?: VendorCall[]; signal?: AbortSignal } = {},
): GorgiasClient {
  const { apiKey } = gorgiasCredentials(integration);
  return createGorgiasClient({
    domain: integration.gorgiasDomain ?? "",
    email: integration.gorgiasEmail ?? "",
    apiKey,
    pacer: shopPacer("gorgias", integration.shop, { db }),
    onCall: options.calls ? (call) => options.calls!.push(call) : undefined,
    signal: options.signal,
  });
}

async function rememberMember(
  db: Db,
  shop: string,
  listId: string,
  email: string | undefined,
  profileId: string,
) {
  if (!email) return;
  const row = { shop, listId, email: email.toLowerCase(), profileId, syncedAt: sql`now()` };
  await db
    .insert(klaviyoListMembers)
    .values(row)
    .onConflictDoUpdate({
      target: [klaviyoListMembers.shop, klaviyoListMembers.listId, klaviyoListMembers.email],
      set: { profileId, syncedAt: sql`now()` },
    });
}

async function deliverToKlaviyo(action: DeliveryAction, context: Context): Promise<Outcome> {
  const client = klaviyoClientFor(context.db, await connection(context, "klaviyo"), context);
  const { db, shop } = context;
  switch (action.kind) {
    case "klaviyo-event": {
      const uniqueId = klaviyoUniqueId(action);
      await client.createEvent({
        metric: action.metric,
        profile: action.profile,
        properties: action.properties,
        value: action.value,
        valueCurrency: action.valueCurrency,
        time: action.time,
        uniqueId,
      });
      return { response: { accepted: true, uniqueId } };
    }
    case "klaviyo-profile": {
      const profile = await client.upsertProfile(action.profile);
      return {
        vendorId: profile.id,
        response: { profileId: profile.id, created: profile.created },
      };
    }
    case "klaviyo-list-add": {
      const listId = await ensureKlaviyoList(db, client, shop, action.list);
      const profile = await client.upsertProfile(action.profile);
      try {
        await client.addProfilesToList(listId, [profile.id]);
      } catch (error) {
        if (error instanceof VendorTerminalError && error.failure === "not-found") {
          await forgetKlaviyoList(db, shop, listId);
          throw new VendorRetryableError({
            vendor: "klaviyo",
            operation: error.operation,
            failure: "not-found",
            status: error.status,
            detail: `list "${action.list}" (${listId}) no longer exists in Klaviyo; it will be found or created again`,
          });
        }
        throw error;
      }
      await rememberMember(db, shop, listId, action.profile.email, profile.id);
      return { vendorId: profile.id, response: { listId, profileId: profile.id } };
    }
    case "klaviyo-list-remove": {
      const listId =
        (await cachedKlaviyoListId(db, shop, action.list)) ??
        (await client.findListByName(action.list))?.id;
      if (!listId) return { response: { skipped: `no Klaviyo list named "${action.list}"` } };
      let profileId: string | undefined;
      if (action.profile.email) {
        const [member] = await db
          .select({ profileId: klaviyoListMembers.profileId })
          .from(klaviyoListMembers)
          .where(
            and(
              eq(klaviyoListMembers.shop, shop),
              eq(klaviyoListMembers.listId, listId),
              eq(klaviyoListMembers.email, action.profile.email.toLowerCase()),
            ),
          );
        profileId =
          member?.profileId ??
          (await client.findProfileIdsByEmail([action.profile.email])).get(
            action.profile.email.toLowerCase(),
          );
      } else {
        profileId = (await client.findProfileId(action.profile)) ?? undefined;
      }
      if (!profileId) return { response: { skipped: "no such profile in Klaviyo" } };
      try {
        await client.removeProfilesFromList(listId, [profileId]);
      } catch (error) {
        if (!(error instanceof VendorTerminalError && error.failure === "not-found")) throw error;
        await forgetKlaviyoList(db, shop, listId);
        return { response: { skipped: `list "${action.list}" no longer exists in Klaviyo` } };
      }
      if (action.profile.email) {
        await db
          .delete(klaviyoListMembers)
          .where(
            and(
              eq(klaviyoListMembers.shop, shop),
              eq(klaviyoListMembers.listId, listId),
              eq(klaviyoListMembers.email, action.profile.email.toLowerCase()),
            ),
          );
      }
      return { vendorId: profileId, response: { listId, profileId } };
    }
    case "klaviyo-profile-deletion": {
      try {
        await client.requestProfileDeletion(action.profile);
      } catch (error) {
        // A key without the scope is not a broken connection: say what to add, keep it connected.
        if (error instanceof VendorTerminalError && error.failure === "forbidden") {
          throw new TerminalError(
            `Klaviyo refused the deletion: the private key lacks the data-privacy:write scope. Add it in Klaviyo → Settings → API keys, then retry. (${error.detail})`,
          );
        }
        throw error;
      }
      return {
        response: {
          deletionRequested: true,
          by: "email" in action.profile ? "email" : "phone number",
        },
      };
    }
    default:
      throw new TerminalError(`${action.kind} is not a Klaviyo action`);
  }
}

async function deliverToGorgias(action: DeliveryAction, context: Context): Promise<Outcome> {
  const client = gorgiasClientFor(context.db, await connection(context, "gorgias"), context);
  const { db, shop } = context;
  const externalId = gorgiasExternalId(context.key);
  const targetTicket = async (email: string, ticketId: number | undefined) => {
    if (ticketId) return ticketId;
    const open = await client.listOpenTickets(email);
    return open.sort((a, b) => b.id - a.id)[0]?.id;
  };
  switch (action.kind) {
    case "gorgias-ticket": {
      const { ticket, created } = await client.createTicket({
        customer: action.customer,
        subject: action.subject,
        bodyText: action.bodyText,
        bodyHtml: action.bodyHtml,
        tags: action.tags,
        externalId,
        fromAgent: action.fromAgent,
      });
      if (ticket.status === "open" || ticket.status === "closed") {
        await recordTicketState(db, shop, {
          ticketId: ticket.id,
          email: ticket.customer?.email ?? action.customer.email,
          status: ticket.status,
          updatedAt: ticket.updated_datetime
            ? new Date(ticket.updated_datetime)
            : context.clock.now(),
        });
      }
      return {
        vendorId: String(ticket.id),
        response: { ticketId: ticket.id, created, externalId },
      };
    }
    case "gorgias-tag": {
      const ticketId = await targetTicket(action.customer.email, action.ticketId);
      if (!ticketId) return { response: { skipped: "the customer has no open ticket" } };
      await client.addTicketTags(ticketId, action.tags);
      return { vendorId: String(ticketId), response: { ticketId, tags: action.tags } };
    }
    case "gorgias-note": {
      const ticketId = await targetTicket(action.customer.email, action.ticketId);
      if (!ticketId) return { response: { skipped: "the customer has no open ticket" } };
      const note = await client.addInternalNote(ticketId, {
        bodyText: action.bodyText,
        bodyHtml: action.bodyHtml,
        externalId,
      });
      return {
        vendorId: String(note.id),
        response: { ticketId, messageId: note.id, created: note.created },
      };
    }
    case "gorgias-customer-deletion": {
      const erased = await client.eraseCustomer(action.customer.email);
      return { response: { customersDeleted: erased.customers, ticketsDeleted: erased.tickets } };
    }
    default:
      throw new TerminalError(`${action.kind} is not a Gorgias action`);
  }
}

/**
 * Shopify, reached with the shop's own offline access (no connection under Integrations). Its
 * failures become the queue's: throttling, outages and 5xx retry; anything else is terminal.
 */
async function deliverToShopify(action: DeliveryAction, context: Context): Promise<Outcome> {
  if (action.kind !== "shopify-tags-add")
    throw new TerminalError(`${action.kind} is not a Shopify action`);
  const started = performance.now();
  const call = (status: number | null, error?: string): VendorCall => ({
    vendor: "shopify",
    operation: "tags-add",
    method: "POST",
    status,
    latencyMs: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  });
  let answer: AdminData<typeof TAGS_ADD_MUTATION>;
  try {
    ({ data: answer } = await adminRequest(
      context.shop,
      TAGS_ADD_MUTATION,
      { id: shopifyGid(action.resource, action.id), tags: action.tags },
      { estimatedCost: 10 },
    ));
  } catch (raw) {
    if (!(raw instanceof AdminRequestError)) throw raw;
    const retryable =
      raw.failure === "throttled" ||
      raw.failure === "unreachable" ||
      (raw.failure === "http" && (raw.status ?? 0) >= 500);
    context.calls.push(call(raw.status, raw.message));
    throw retryable
      ? new RetryableError(raw.message, raw.retryAfterSeconds)
      : new TerminalError(raw.message);
  }
  const problems = answer.tagsAdd?.userErrors ?? [];
  if (problems.length > 0) {
    const message = `Shopify refused the tags: ${problems.map((p) => p.message).join("; ")}`;
    context.calls.push(call(200, message));
    throw new TerminalError(message);
  }
  context.calls.push(call(200));
  const id = answer.tagsAdd?.node?.id ?? null;
  return { vendorId: id, response: { id, tags: action.tags } };
}
