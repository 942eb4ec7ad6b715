import { and, eq, sql } from "drizzle-orm";
import {
  gorgiasTicketImports,
  gorgiasTickets,
  integrations,
  klaviyoListMembers,
  klaviyoLists,
  type Integration,
  type Vendor,
} from "../../db/schema/index";
import type { Db } from "../db.server";
import {
  decryptSecret,
  encryptSecret,
  needsReencryption,
  type EncryptionKey,
} from "../utils/encryption.server";
import { maskSecret } from "../utils/mask";

/**
 * Connections to Klaviyo and Gorgias, one row per shop and vendor. Every function takes the
 * shop: a shop's credentials are only ever read by that shop's requests and jobs, and the
 * ciphertext is bound to `shop:vendor`, so a row copied to another shop would not decrypt.
 */

export interface KlaviyoCredentials {
  apiKey: string;
}

export interface GorgiasCredentials {
  apiKey: string;
  /** Sent by Gorgias in X-Switchboard-Token on every HTTP-integration call. */
  webhookSecret: string;
}

const associatedData = (shop: string, vendor: Vendor) => `integrations:${shop}:${vendor}`;

export async function getIntegration(
  db: Db,
  shop: string,
  vendor: Vendor,
): Promise<Integration | undefined> {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.shop, shop), eq(integrations.vendor, vendor)));
  return row;
}

function readCredentials(row: Integration): KlaviyoCredentials | GorgiasCredentials {
  const json = decryptSecret(
    { keyId: row.credentialsKeyId, ciphertext: row.credentials },
    associatedData(row.shop, row.vendor),
  );
  return JSON.parse(json);
}

/** The decrypted Klaviyo key of this connection (it must be a Klaviyo connection). */
export function klaviyoCredentials(row: Integration): KlaviyoCredentials {
  if (row.vendor !== "klaviyo")
    throw new Error(`${row.shop}: expected a Klaviyo connection, got ${row.vendor}`);
  return readCredentials(row) as KlaviyoCredentials;
}

/** The decrypted Gorgias key and webhook secret of this connection. */
export function gorgiasCredentials(row: Integration): GorgiasCredentials {
  if (row.vendor !== "gorgias")
    throw new Error(`${row.shop}: expected a Gorgias connection, got ${row.vendor}`);
  return readCredentials(row) as GorgiasCredentials;
}

function seal(shop: string, vendor: Vendor, credentials: KlaviyoCredentials | GorgiasCredentials) {
  const sealed = encryptSecret(JSON.stringify(credentials), associatedData(shop, vendor));
  return {
    credentials: sealed.ciphertext,
    credentialsKeyId: sealed.keyId,
    secretHint: maskSecret(credentials.apiKey),
  };
}

export async function saveKlaviyoConnection(
  db: Db,
  shop: string,
  input: {
    apiKey: string;
    accountId: string | null;
    accountName: string | null;
    granted: string[];
    missing: string[];
  },
): Promise<Integration> {
  // Record-keeping stamps are the database's clock, like every row's created_at.
  const now = sql`now()`;
  const values = {
    ...seal(shop, "klaviyo", { apiKey: input.apiKey }),
    status: "connected" as const,
    klaviyoAccountId: input.accountId,
    klaviyoAccountName: input.accountName,
    grantedScopes: input.granted,
    missingScopes: input.missing,
    lastError: null,
    checkedAt: now,
    updatedAt: now,
  };
  const previous = await getIntegration(db, shop, "klaviyo");
  // Lists and memberships we remember belong to the old account: forget them when it changes.
  if (previous && previous.klaviyoAccountId !== input.accountId) await forgetKlaviyoState(db, shop);
  const [row] = await db
    .insert(integrations)
    .values({ shop, vendor: "klaviyo", connectedAt: now, ...values })
    .onConflictDoUpdate({ target: [integrations.shop, integrations.vendor], set: values })
    .returning();
  return row!;
}

export async function saveGorgiasConnection(
  db: Db,
  shop: string,
  input: {
    domain: string;
    email: string;
    apiKey: string;
    webhookSecret: string;
    httpIntegrationId: number | null;
  },
): Promise<Integration> {
  // Record-keeping stamps are the database's clock, like every row's created_at.
  const now = sql`now()`;
  const values = {
    ...seal(shop, "gorgias", { apiKey: input.apiKey, webhookSecret: input.webhookSecret }),
    status: "connected" as const,
    gorgiasDomain: input.domain,
    gorgiasEmail: input.email,
    gorgiasHttpIntegrationId: input.httpIntegrationId,
    lastError: null,
    checkedAt: now,
    updatedAt: now,
  };
  const previous = await getIntegration(db, shop, "gorgias");
  if (previous && previous.gorgiasDomain !== input.domain) await forgetGorgiasState(db, shop);
  const [row] = await db
    .insert(integrations)
    .values({ shop, vendor: "gorgias", connectedAt: now, ...values })
    .onConflictDoUpdate({ target: [integrations.shop, integrations.vendor], set: values })
    .returning();
  return row!;
}

export async function updateKlaviyoCheck(
  db: Db,
  shop: string,
  check: {
    accountId: string | null;
    accountName: string | null;
    granted: string[];
    missing: string[];
  },
): Promise<void> {
  await db
    .update(integrations)
    .set({
      status: "connected",
      klaviyoAccountId: check.accountId,
      klaviyoAccountName: check.accountName,
      grantedScopes: check.granted,
      missingScopes: check.missing,
      lastError: null,
      checkedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(integrations.shop, shop), eq(integrations.vendor, "klaviyo")));
}

/** The vendor refused the stored credentials (401/403): show it on the Integrations screen. */
export async function markIntegrationError(
  db: Db,
  shop: string,
  vendor: Vendor,
  message: string,
): Promise<void> {
  await db
    .update(integrations)
    .set({ status: "error", lastError: message, checkedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(integrations.shop, shop), eq(integrations.vendor, vendor)));
}

/** Ticket states and the open-ticket import belong to one helpdesk. */
async function forgetGorgiasState(db: Db, shop: string) {
  await db.delete(gorgiasTickets).where(eq(gorgiasTickets.shop, shop));
  await db.delete(gorgiasTicketImports).where(eq(gorgiasTicketImports.shop, shop));
}

async function forgetKlaviyoState(db: Db, shop: string) {
  await db.delete(klaviyoListMembers).where(eq(klaviyoListMembers.shop, shop));
  await db.delete(klaviyoLists).where(eq(klaviyoLists.shop, shop));
}

/**
 * Deletes the connection and what we learnt through it. Deliveries already queued for this
 * vendor are dead-lettered when they run ("not connected"), so Activity shows why.
 */
/** The integrations a shop has connected ("klaviyo", "gorgias"). */
export async function connectedIntegrations(db: Db, shop: string): Promise<Set<string>> {
  const rows = await db
    .select({ vendor: integrations.vendor })
    .from(integrations)
    .where(eq(integrations.shop, shop));
  return new Set(rows.map((r) => r.vendor as string));
}

export async function deleteIntegration(db: Db, shop: string, vendor: Vendor): Promise<boolean> {
  const removed = await db
    .delete(integrations)
    .where(and(eq(integrations.shop, shop), eq(integrations.vendor, vendor)))
    .returning({ shop: integrations.shop });
  if (vendor === "klaviyo") await forgetKlaviyoState(db, shop);
  else await forgetGorgiasState(db, shop);
  return removed.length > 0;
}

/** What the browser may see about a connection: no credentials, only a masked hint. */
export interface IntegrationView {
  vendor: Vendor;
  status: "connected" | "error";
  secretHint: string;
  klaviyoAccountName: string | null;
  grantedScopes: string[];
  missingScopes: string[];
  gorgiasDomain: string | null;
  gorgiasEmail: string | null;
  webhookRegistered: boolean;
  lastError: string | null;
  connectedAt: string;
  checkedAt: string;
}

export function integrationView(row: Integration): IntegrationView {
  return {
    vendor: row.vendor,
    status: row.status,
    secretHint: row.secretHint,
    klaviyoAccountName: row.klaviyoAccountName,
    grantedScopes: row.grantedScopes,
    missingScopes: row.missingScopes,
    gorgiasDomain: row.gorgiasDomain,
    gorgiasEmail: row.gorgiasEmail,
    webhookRegistered: row.gorgiasHttpIntegrationId !== null,
    lastError: row.lastError,
    connectedAt: row.connectedAt.toISOString(),
    checkedAt: row.checkedAt.toISOString(),
  };
}

/**
 * Re-seals every connection not sealed with the newest ENCRYPTION_KEYS entry (run after adding
 * a key; then the old key can be dropped). Returns how many rows changed.
 */
export async function reencryptIntegrations(db: Db, keyring?: EncryptionKey[]): Promise<number> {
  const rows = await db.select().from(integrations);
  let changed = 0;
  for (const row of rows) {
    const current = { keyId: row.credentialsKeyId, ciphertext: row.credentials };
    if (!needsReencryption(current, keyring)) continue;
    const aad = associatedData(row.shop, row.vendor);
    const sealed = encryptSecret(decryptSecret(current, aad, keyring), aad, keyring);
    const updated = await db
      .update(integrations)
      .set({ credentials: sealed.ciphertext, credentialsKeyId: sealed.keyId })
      .where(
        and(
          eq(integrations.shop, row.shop),
          eq(integrations.vendor, row.vendor),
          eq(integrations.credentials, row.credentials),
        ),
      )
      .returning({ shop: integrations.shop });
    changed += updated.length;
  }
  return changed;
}
