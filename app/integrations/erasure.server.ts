import type { RedactionVendorRecord } from "../../db/schema/index";
import type { Db } from "../db.server";
import type { Enqueuer } from "../jobs/contracts";
import { getIntegration } from "../models/integrations.server";
import type { CustomerIdentity } from "../models/privacy.server";
import { drizzleExecuteSql } from "../utils/drizzle-execute-sql.server";
import { deliveryActionSchema, type DeliveryActionInput } from "./delivery/actions";
import { requestDelivery } from "./delivery/request.server";

/** The `recipe` of erasure deliveries: Activity lists them as privacy requests, not a recipe's. */
export const PRIVACY_ORIGIN = "privacy";

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A `customers/redact` reaching the vendors the shop has connected: one deletion delivery per
 * vendor (Klaviyo by email, else by phone number; Gorgias by email), queued in the caller's
 * transaction so it exists only if the redaction commits. The source names the redact event,
 * so a retried job asks once, and a later, separate redaction asks again.
 * Returns what each vendor was asked, or why not, for the redaction record.
 */
export async function requestVendorErasure(
  tx: Db,
  queue: Enqueuer,
  request: { shop: string; customer: CustomerIdentity; eventId: number },
): Promise<RedactionVendorRecord[]> {
  const { shop, customer } = request;
  const email = customer.email?.trim() || undefined;
  const phone = customer.phone?.trim();
  const base = {
    shop,
    recipe: PRIVACY_ORIGIN,
    source: `customer/${customer.id}/redact/${request.eventId}`,
  };
  const planned: { vendor: RedactionVendorRecord["vendor"]; action: DeliveryActionInput | null }[] =
    [
      {
        vendor: "klaviyo",
        action: email
          ? { kind: "klaviyo-profile-deletion", ...base, profile: { email } }
          : phone && E164.test(phone)
            ? { kind: "klaviyo-profile-deletion", ...base, profile: { phoneNumber: phone } }
            : null,
      },
      {
        vendor: "gorgias",
        action: email ? { kind: "gorgias-customer-deletion", ...base, customer: { email } } : null,
      },
    ];
  const target = { queue, executeSql: drizzleExecuteSql(tx) };
  const records: RedactionVendorRecord[] = [];
  for (const { vendor, action } of planned) {
    if (!(await getIntegration(tx, shop, vendor))) {
      records.push({ vendor, outcome: "not-connected" });
    } else if (!action || !deliveryActionSchema.safeParse(action).success) {
      // No email or E.164 phone (or one the vendor would refuse): nothing to name them by.
      records.push({ vendor, outcome: "no-identifier" });
    } else {
      const { key } = await requestDelivery(target, action);
      records.push({ vendor, outcome: "requested", deliveryKey: key });
    }
  }
  return records;
}
