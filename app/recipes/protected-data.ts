import type { CustomerView } from "./engine/context";
import type { OrderPayload } from "../webhooks/payloads";

/**
 * Shopify's protected customer data (level 2: name, email, phone, address). An app without
 * approved access still gets orders and customers, but those fields arrive null or absent in
 * webhooks and null (with an access error) in Admin GraphQL. Shopify keeps no customer without
 * at least one of name, email or phone, so a customer whose every one of them is missing was
 * withheld, not empty. Pure: recipes and Home read it.
 */

type Contact = Pick<CustomerView, "email" | "firstName" | "lastName" | "phone">;

/** True when Shopify sent this customer with every protected contact field withheld. */
export function contactWithheld(customer: Contact | null | undefined): boolean {
  return (
    !!customer && !customer.email && !customer.firstName && !customer.lastName && !customer.phone
  );
}

/** A webhook's customer object as the contact fields `contactWithheld` reads. */
export function contactOfPayload(customer: NonNullable<OrderPayload["customer"]>): Contact {
  return {
    email: customer.email ?? null,
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    phone: customer.phone ?? null,
  };
}

export const WITHHELD_EMAIL_REASON =
  "no email: Shopify withheld the customer's email, because this app has not been granted access to protected customer data (name, email, phone, address)";

/**
 * Why there is no email to write to: Shopify withheld it (the customer arrived with every
 * contact field missing), or the order or customer really has none (`fallback`).
 */
export function noEmailReason(customer: Contact | null | undefined, fallback: string): string {
  return contactWithheld(customer) ? WITHHELD_EMAIL_REASON : fallback;
}

/**
 * What each recipe that writes to customers does without their protected fields, for Home
 * (docs/protected-customer-data.md lists the fields each reads).
 */
export const LIMITS_WITHOUT_PROTECTED_DATA: Record<string, string> = {
  "review-request-timing": "skips the review request (“no email: …”)",
  "replenishment-reminder": "skips the reminder (“no email: …”)",
  "shipping-delay-outreach": "skips the Klaviyo message and the Gorgias ticket (“no email: …”)",
  "high-value-white-glove":
    "still tags the order and customer; opens no Gorgias ticket (noted on the run)",
  "vip-tier-sync": "keeps no Klaviyo list membership for the customer (“no email: …”)",
  "win-back-segments": "keeps no Klaviyo list membership for the customer (“no email: …”)",
  "low-stock-promo-pause":
    "still pauses offers; sends no back-in-stock message to customers whose email was withheld (noted on the run)",
  "open-ticket-suppression":
    "still marks the ticket's email in Klaviyo (Gorgias supplies it), but cannot match it to a Shopify customer",
  "abandoned-checkout-recovery":
    "skips the follow-up: no Klaviyo event, ticket note or white-glove ticket (“no email: …”)",
};
