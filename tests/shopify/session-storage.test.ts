import "../helpers/shopify";
import { Session } from "@shopify/shopify-api";
import { expect, it } from "vitest";
import { sessionStorage } from "../../app/shopify.server";
import { describeEachDatabase } from "../helpers/database";

describeEachDatabase("session storage", () => {
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
});
