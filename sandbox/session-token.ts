import { createSecretKey, randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { refuseInProduction } from "./guard";

/**
 * What Shopify Admin hands an embedded app: a session token (an HS256 JWT signed with the app's
 * client secret, valid for one minute) and the `host` parameter. The sandbox mints both so the
 * real `authenticate.admin` accepts its requests with no network.
 */

export interface SessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member's user id (`sub`). */
  userId?: string;
  /** Milliseconds since the epoch. Default Date.now(). */
  now?: number;
  /** Shopify's tokens live 60 s. */
  ttlSeconds?: number;
}

export interface SessionToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export async function mintSessionToken(options: SessionTokenOptions): Promise<SessionToken> {
  refuseInProduction("The sandbox session-token minter");
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = now + (options.ttlSeconds ?? 60);
  const token = await new SignJWT({
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp,
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(createSecretKey(Buffer.from(options.apiSecret, "utf8")));
  return { token, expiresAt: exp * 1000 };
}

/** The `host` parameter: base64 of `admin.shopify.com/store/<handle>`, as Admin sends it. */
export function hostParam(shop: string): string {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${handle}`, "utf8")
    .toString("base64")
    .replace(/=+$/, "");
}
