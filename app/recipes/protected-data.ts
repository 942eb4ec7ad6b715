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

/** WITHHELD_EMAIL_REASON as a French screen shows it (the run keeps the English reason). */
export const WITHHELD_EMAIL_REASON_FR =
  "pas d’e-mail : Shopify n’a pas transmis l’e-mail du client, car cette application n’a pas obtenu l’accès aux données client protégées (nom, e-mail, téléphone, adresse)";

/**
 * What each recipe that writes to customers does without their protected fields, for Home, in
 * English and French (docs/protected-customer-data.md lists the fields each reads).
 */
export const LIMITS_WITHOUT_PROTECTED_DATA: Record<string, { en: string; fr: string }> = {
  "review-request-timing": {
    en: "skips the review request (“no email: …”)",
    fr: "n’envoie pas la demande d’avis (« pas d’e-mail : … »)",
  },
  "replenishment-reminder": {
    en: "skips the reminder (“no email: …”)",
    fr: "n’envoie pas le rappel (« pas d’e-mail : … »)",
  },
  "shipping-delay-outreach": {
    en: "skips the Klaviyo message and the Gorgias ticket (“no email: …”)",
    fr: "n’envoie ni le message Klaviyo ni le ticket Gorgias (« pas d’e-mail : … »)",
  },
  "high-value-white-glove": {
    en: "still tags the order and customer; opens no Gorgias ticket (noted on the run)",
    fr: "ajoute toujours les balises à la commande et au client ; n’ouvre pas de ticket Gorgias (indiqué sur l’exécution)",
  },
  "vip-tier-sync": {
    en: "keeps no Klaviyo list membership for the customer (“no email: …”)",
    fr: "n’inscrit pas le client à la liste Klaviyo (« pas d’e-mail : … »)",
  },
  "win-back-segments": {
    en: "keeps no Klaviyo list membership for the customer (“no email: …”)",
    fr: "n’inscrit pas le client à la liste Klaviyo (« pas d’e-mail : … »)",
  },
  "low-stock-promo-pause": {
    en: "still pauses offers; sends no back-in-stock message to customers whose email was withheld (noted on the run)",
    fr: "met toujours les offres en pause ; n’envoie pas de message de retour en stock aux clients dont l’e-mail n’a pas été transmis (indiqué sur l’exécution)",
  },
  "open-ticket-suppression": {
    en: "still marks the ticket's email in Klaviyo (Gorgias supplies it), but cannot match it to a Shopify customer",
    fr: "marque toujours l’e-mail du ticket dans Klaviyo (Gorgias le fournit), mais ne peut pas le rattacher à un client Shopify",
  },
  "abandoned-checkout-recovery": {
    en: "skips the follow-up: no Klaviyo event, ticket note or white-glove ticket (“no email: …”)",
    fr: "n’effectue pas la relance : ni événement Klaviyo, ni note de ticket, ni ticket de service premium (« pas d’e-mail : … »)",
  },
};
