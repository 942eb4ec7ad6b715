import { shopifyFetch } from "../helpers/shopify";
import {
  RequestType,
  setUpValidRequest,
  setUpValidSession,
  TEST_SHOP,
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
} from "@shopify/shopify-api/test-helpers";
import { expect, it } from "vitest";
import { loader as homeLoader } from "../../app/routes/app._index";
import { loader as appLoader } from "../../app/routes/app";
import { sessionStorage } from "../../app/shopify.server";
import { recordInstall } from "../../app/models/shops.server";
import { describeEachDatabase } from "../helpers/database";

describeEachDatabase("embedded admin routes", ({ use }) => {
  it("serve the Home loader to a request carrying a valid Shopify session token", async () => {
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
    await recordInstall(use().database.db, TEST_SHOP, new Date(), { name: "Test Shop" });
    const request = await setUpValidRequest(
      {
        type: RequestType.Admin,
        store: "test-shop",
        apiKey: API_KEY,
        apiSecretKey: API_SECRET_KEY,
      },
      new Request(`${APP_URL}/app`),
    );
    const layout = await appLoader({ request, params: {}, context: {} });
    expect(layout).toEqual({ apiKey: API_KEY, locale: "en" });
    const home = await homeLoader({ request: request.clone(), params: {}, context: {} });
    expect(home.shopName).toBe("Test Shop");
    expect(shopifyFetch).not.toHaveBeenCalled();
  });

  it("refuse a request without a session token", async () => {
    const outcome = await homeLoader({
      request: new Request(`${APP_URL}/app?shop=${TEST_SHOP}`),
      params: {},
      context: {},
    }).catch((thrown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).not.toBe(200);
  });

  it("refuse a session token signed with another secret", async () => {
    const request = await setUpValidRequest(
      {
        type: RequestType.Admin,
        store: "test-shop",
        apiKey: API_KEY,
        apiSecretKey: "not-our-secret",
      },
      new Request(`${APP_URL}/app`),
    );
    const outcome = await homeLoader({ request, params: {}, context: {} }).catch(
      (thrown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect([302, 401, 410]).toContain((outcome as Response).status);
  });
});
