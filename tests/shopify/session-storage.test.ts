import "../helpers/shopify";
import { Session } from "@shopify/shopify-api";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { sessions } from "../../db/schema/index";
import { openToken, resealSessionTokens } from "../../app/models/session-storage.server";
import { sessionStorage } from "../../app/shopify.server";
import { env } from "../../app/env.server";
import { describeEachDatabase } from "../helpers/database";

describeEachDatabase("session storage", ({ use: testDatabase }) => {
  const db = () => testDatabase().database.db;
  const stored = async (id: string) =>
    (await db().select().from(sessions).where(eq(sessions.id, id)))[0]!;
  it("stores, loads, finds by shop and deletes a session with every field intact", async () => {
    const expires = new Date(Date.now() + 3_600_000);
    const session = new Session({
      id: "offline_round-trip.myshopify.com",
      shop: "round-trip.myshopify.com",
      state: "state-123",
      isOnline: false,
      scope: "read_orders,write_orders",
      expires,
      accessToken: "shpat_secret",
      refreshToken: "shprt_refresh",
      refreshTokenExpires: new Date(Date.now() + 86_400_000),
    });
    expect(await sessionStorage.storeSession(session)).toBe(true);

    const loaded = await sessionStorage.loadSession(session.id);
    expect(loaded?.shop).toBe("round-trip.myshopify.com");
    expect(loaded?.accessToken).toBe("shpat_secret");
    expect(loaded?.scope).toBe("read_orders,write_orders");
    expect(loaded?.expires?.getTime()).toBe(expires.getTime());
    expect(loaded?.refreshToken).toBe("shprt_refresh");

    expect(
      (await sessionStorage.findSessionsByShop("round-trip.myshopify.com")).map((s) => s.id),
    ).toEqual([session.id]);
    expect(await sessionStorage.findSessionsByShop("other.myshopify.com")).toEqual([]);

    await sessionStorage.deleteSession(session.id);
    expect(await sessionStorage.loadSession(session.id)).toBeUndefined();
  });

  it("keeps Shopify's tokens sealed at rest, bound to their shop", async () => {
    const session = new Session({
      id: "offline_sealed.myshopify.com",
      shop: "sealed.myshopify.com",
      state: "",
      isOnline: false,
      accessToken: "shpat_at_rest",
      refreshToken: "shprt_at_rest",
    });
    await sessionStorage.storeSession(session);
    const row = await stored(session.id);
    expect(row.accessToken).toMatch(/^sealed:local:/);
    expect(row.refreshToken).toMatch(/^sealed:local:/);
    expect(JSON.stringify(row)).not.toContain("at_rest");
    expect((await sessionStorage.loadSession(session.id))?.accessToken).toBe("shpat_at_rest");
    // The ciphertext copied into another shop's row opens nowhere.
    expect(() => openToken(row.accessToken, "thief.myshopify.com", "accessToken")).toThrow(
      /does not decrypt/,
    );
  });

  it("seals tokens stored in plaintext before, and re-seals them with a new key after a rotation", async () => {
    await db().insert(sessions).values({
      id: "offline_legacy.myshopify.com",
      shop: "legacy.myshopify.com",
      state: "",
      isOnline: false,
      accessToken: "shpat_legacy",
      refreshToken: null,
    });
    expect((await sessionStorage.loadSession("offline_legacy.myshopify.com"))?.accessToken).toBe(
      "shpat_legacy",
    );
    expect(await resealSessionTokens(db())).toBeGreaterThanOrEqual(1);
    expect((await stored("offline_legacy.myshopify.com")).accessToken).toMatch(/^sealed:local:/);
    expect(await resealSessionTokens(db())).toBe(0);

    const rotated = [{ id: "2027a", key: Buffer.alloc(32, 9) }, ...env().ENCRYPTION_KEYS];
    expect(await resealSessionTokens(db(), rotated)).toBeGreaterThanOrEqual(1);
    const row = await stored("offline_legacy.myshopify.com");
    expect(row.accessToken).toMatch(/^sealed:2027a:/);
    expect(openToken(row.accessToken, "legacy.myshopify.com", "accessToken", rotated)).toBe(
      "shpat_legacy",
    );
  });
});
