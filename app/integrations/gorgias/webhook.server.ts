import { sameSecret } from "../../utils/same-secret.server";
import { z } from "zod";
import type { Db } from "../../db.server";
import { recordTicketState, ticketTimes } from "../../models/gorgias-tickets.server";
import { getIntegration, gorgiasCredentials } from "../../models/integrations.server";
import { log } from "../../utils/log.server";
import { handOffTicketChange } from "../../recipes/hand-off.server";
import type { Enqueuer } from "../../jobs/contracts";
import { GORGIAS_SECRET_HEADER } from "../connections.server";
import type { Clock } from "../../utils/clock";

/**
 * Gorgias → Switchboard: the HTTP integration we register calls this for ticket-created and
 * ticket-updated with the JSON form in GORGIAS_WEBHOOK_FORM. Gorgias documents no signature,
 * so each shop has its own random secret in a header, compared in constant time. Values arrive
 * as rendered template text ("500001", "True", "None").
 */

const MAX_BODY_BYTES = 64 * 1024;

const text = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? "" : String(v).trim()));
const empty = (v: string) => v === "" || v === "None" || v === "null";
const truthy = (v: string | undefined) => ["true", "1"].includes((v ?? "").toLowerCase());

export const gorgiasTicketCall = z.object({
  // Gorgias ticket ids are sequential integers; anything past 2^53 is not one of theirs.
  ticket_id: text
    .pipe(z.string().regex(/^\d+$/, "a ticket id"))
    .transform(Number)
    .refine(
      (id) => id > 0 && Number.isSafeInteger(id),
      "a ticket id (a positive whole number up to 2^53 − 1)",
    ),
  status: text,
  customer_email: text,
  updated_datetime: text.optional(),
  spam: text.optional(),
  trashed_datetime: text.optional(),
  // Timing (the gap report's response and resolution times); absent from calls registered
  // before Switchboard asked for them.
  created_datetime: text.optional(),
  closed_datetime: text.optional(),
  from_agent: text.optional(),
  // The message a ticket-message-created call is about (empty on other calls).
  message_from_agent: text.optional(),
  message_channel: text.optional(),
  message_created_datetime: text.optional(),
});

const reply = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

export async function handleGorgiasCall(
  db: Db,
  queue: Enqueuer,
  request: Request,
  clock: Clock,
): Promise<Response> {
  if (request.method !== "POST") return reply(405, { error: "POST only" });
  const shop = new URL(request.url).searchParams.get("shop") ?? "";
  const token = request.headers.get(GORGIAS_SECRET_HEADER) ?? "";
  const integration = shop && token ? await getIntegration(db, shop, "gorgias") : undefined;
  let authorized = false;
  if (integration) {
    try {
      authorized = sameSecret(token, gorgiasCredentials(integration).webhookSecret);
    } catch {
      authorized = false;
    }
  }
  if (!authorized) return reply(401, { error: "unauthorized" });

  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return reply(413, { error: "body too large" });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return reply(400, { error: "body is not JSON" });
  }
  const parsed = gorgiasTicketCall.safeParse(json);
  if (!parsed.success) {
    return reply(400, {
      error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    });
  }
  const call = parsed.data;
  const email = call.customer_email.toLowerCase();
  if (empty(email) || !email.includes("@"))
    return reply(200, { ignored: "the ticket's customer has no email" });
  const discarded = truthy(call.spam) || !empty(call.trashed_datetime ?? "");
  const closed = call.status.toLowerCase() !== "open" || discarded;
  // Without a usable updated_datetime the change is dated when we heard of it.
  const stated =
    call.updated_datetime && !empty(call.updated_datetime) ? new Date(call.updated_datetime) : null;
  const updated = stated && !Number.isNaN(stated.getTime()) ? stated : clock.now();
  const state = {
    ticketId: call.ticket_id,
    email,
    status: closed ? ("closed" as const) : ("open" as const),
    updatedAt: updated,
    times:
      call.created_datetime === undefined
        ? undefined
        : ticketTimes(
            {
              created_datetime: call.created_datetime,
              closed_datetime: call.closed_datetime,
              from_agent: truthy(call.from_agent),
              message:
                call.message_created_datetime && !empty(call.message_created_datetime)
                  ? {
                      from_agent: truthy(call.message_from_agent),
                      channel: call.message_channel ?? null,
                      created_datetime: call.message_created_datetime,
                    }
                  : null,
            },
            { resolved: closed && !discarded, updatedAt: updated },
          ),
  };
  const changed = await recordTicketState(db, shop, state);
  if (changed) await handOffTicketChange(queue, db, shop, state);
  log.debug(
    `[gorgias] ${shop} ticket ${call.ticket_id} → ${closed ? "closed" : "open"}${changed ? "" : " (older than what we hold)"}`,
  );
  return reply(200, { ok: true });
}
