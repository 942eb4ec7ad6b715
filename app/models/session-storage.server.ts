import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { DrizzleSessionStoragePostgres } from "@shopify/shopify-app-session-storage-drizzle";
import { eq } from "drizzle-orm";
import { sessions } from "../../db/schema/index";
import type { Db } from "../db.server";
import { getDatabase } from "../db.server";
import {
  decryptSecret,
  encryptSecret,
  needsReencryption,
  type EncryptionKey,
  type SealedSecret,
} from "../utils/encryption.server";

/**
 * Shopify's access and refresh tokens are sealed at rest with the ENCRYPTION_KEYS ring, like
 * the Klaviyo and Gorgias keys: a column holds `sealed:<key id>:<base64>` (AES-256-GCM, bound
 * to the shop and the field), so a copied database or backup holds no usable token.
 */
const SEALED_PREFIX = "sealed:";
type TokenField = "accessToken" | "refreshToken";

const associatedData = (shop: string, field: TokenField) => `session:${shop}:${field}`;

function parseSealed(stored: string): SealedSecret | null {
  if (!stored.startsWith(SEALED_PREFIX)) return null;
  const rest = stored.slice(SEALED_PREFIX.length);
  const colon = rest.indexOf(":");
  return colon > 0 ? { keyId: rest.slice(0, colon), ciphertext: rest.slice(colon + 1) } : null;
}

export function sealToken(
  token: string,
  shop: string,
  field: TokenField,
  keyring?: EncryptionKey[],
): string {
  const sealed = encryptSecret(token, associatedData(shop, field), keyring);
  return `${SEALED_PREFIX}${sealed.keyId}:${sealed.ciphertext}`;
}

/** The token a stored value holds; a value stored before sealing (plaintext) reads as is. */
export function openToken(
  stored: string,
  shop: string,
  field: TokenField,
  keyring?: EncryptionKey[],
): string {
  const sealed = parseSealed(stored);
  return sealed ? decryptSecret(sealed, associatedData(shop, field), keyring) : stored;
}

function sealedCopy(session: Session): Session {
  const params = session.toObject();
  return new Session({
    ...params,
    ...(params.accessToken
      ? { accessToken: sealToken(params.accessToken, params.shop, "accessToken") }
      : {}),
    ...(params.refreshToken
      ? { refreshToken: sealToken(params.refreshToken, params.shop, "refreshToken") }
      : {}),
  });
}

function opened(session: Session | undefined): Session | undefined {
  if (!session) return undefined;
  if (session.accessToken)
    session.accessToken = openToken(session.accessToken, session.shop, "accessToken");
  if (session.refreshToken)
    session.refreshToken = openToken(session.refreshToken, session.shop, "refreshToken");
  return session;
}

/**
 * Seals every stored token that is still plaintext (rows from before sealing) or sealed with a
 * key other than the newest (after a rotation). Run at boot; returns how many rows changed.
 */
export async function resealSessionTokens(db: Db, keyring?: EncryptionKey[]): Promise<number> {
  const rows = await db
    .select({
      id: sessions.id,
      shop: sessions.shop,
      accessToken: sessions.accessToken,
      refreshToken: sessions.refreshToken,
    })
    .from(sessions);
  let changed = 0;
  for (const row of rows) {
    const reseal = (stored: string | null, field: TokenField) => {
      if (!stored) return stored;
      const sealed = parseSealed(stored);
      if (sealed && !needsReencryption(sealed, keyring)) return stored;
      return sealToken(openToken(stored, row.shop, field, keyring), row.shop, field, keyring);
    };
    const accessToken = reseal(row.accessToken, "accessToken")!;
    const refreshToken = reseal(row.refreshToken, "refreshToken");
    if (accessToken === row.accessToken && refreshToken === row.refreshToken) continue;
    await db.update(sessions).set({ accessToken, refreshToken }).where(eq(sessions.id, row.id));
    changed++;
  }
  return changed;
}

/**
 * Shopify's Drizzle adapter over our database, sealing tokens on the way in and opening them on
 * the way out. The database opens asynchronously (PGlite start-up, migrations), while
 * shopifyApp() wants a storage object at import time, so each call waits for the database first.
 */
export class DatabaseSessionStorage implements SessionStorage {
  private adapters = new WeakMap<object, DrizzleSessionStoragePostgres>();

  private get storage(): Promise<DrizzleSessionStoragePostgres> {
    return getDatabase().then((database) => {
      let adapter = this.adapters.get(database);
      if (!adapter) {
        adapter = new DrizzleSessionStoragePostgres(database.db as any, sessions as any);
        this.adapters.set(database, adapter);
      }
      return adapter;
    });
  }

  async storeSession(session: Session) {
    return (await this.storage).storeSession(sealedCopy(session));
  }
  async loadSession(id: string) {
    return opened(await (await this.storage).loadSession(id));
  }
  async deleteSession(id: string) {
    return (await this.storage).deleteSession(id);
  }
  async deleteSessions(ids: string[]) {
    return (await this.storage).deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    return (await (await this.storage).findSessionsByShop(shop)).map((session) => opened(session)!);
  }
}
