import "../helpers/shopify";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
  setUpValidSession,
  TEST_SHOP,
} from "@shopify/shopify-api/test-helpers";
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { AppProvider } from "@shopify/polaris";
import enTranslations from "@shopify/polaris/locales/en.json" with { type: "json" };
import { beforeAll, expect, it } from "vitest";
import { privacyExports, shops } from "../../db/schema/index";
import Privacy, { loader as privacyLoader } from "../../app/routes/app.privacy/route";
import { loader as viewLoader } from "../../app/routes/app.privacy_.exports.$exportId";
import { loader as downloadLoader } from "../../app/routes/app.privacy_.exports.$exportId.download";
import { sessionStorage } from "../../app/shopify.server";
import {
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent } from "../helpers/webhooks";

const OTHER_SHOP = "someone-else.myshopify.com";

async function adminRequest(path: string) {
  return setUpValidRequest(
    { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`),
  );
}

const args = async (path: string, params: Record<string, string> = {}) => ({
  request: await adminRequest(path),
  params,
  context: {},
});

describeWithRuntime("Privacy screen", ({ runtime }) => {
  const db = () => runtime().database.db;
  let exportId: number;
  let otherExportId: number;

  beforeAll(async () => {
    await sessionStorage.storeSession(
      setUpValidSession({
        shop: TEST_SHOP,
        isOnline: false,
        expires: new Date(Date.now() + 86_400_000),
      } as any),
    );
    await db()
      .insert(shops)
      .values({ domain: TEST_SHOP, currency: "USD", ianaTimezone: "Asia/Tokyo" });
    await deliver("orders/create", orderPayload(), { shop: TEST_SHOP, webhookId: "ps-order" });
    await deliver("customers/update", customerPayload(), { shop: TEST_SHOP, webhookId: "ps-cust" });
    await deliver("orders/create", orderPayload({ name: "#7777" }), {
      shop: OTHER_SHOP,
      webhookId: "ps-other-order",
    });
    for (const id of ["ps-order", "ps-cust", "ps-other-order"]) await settledEvent(db(), id);
    await deliver("customers/data_request", customersDataRequestPayload(), {
      shop: TEST_SHOP,
      webhookId: "ps-request",
    });
    await deliver(
      "customers/data_request",
      customersDataRequestPayload({ shop_domain: OTHER_SHOP }),
      { shop: OTHER_SHOP, webhookId: "ps-other-request" },
    );
    for (const id of ["ps-request", "ps-other-request"])
      expect((await settledEvent(db(), id)).status).toBe("processed");
    const [mine] = await db()
      .select()
      .from(privacyExports)
      .where(eq(privacyExports.webhookId, "ps-request"));
    const [theirs] = await db()
      .select()
      .from(privacyExports)
      .where(eq(privacyExports.webhookId, "ps-other-request"));
    exportId = mine!.id;
    otherExportId = theirs!.id;
  });

  it("lists this shop's data requests by customer, in the shop's time zone, and no other shop's", async () => {
    const data = await privacyLoader(await args("/app/privacy"));
    expect(data.timeZone).toBe("Japan Standard Time");
    expect(data.dataRequests).toEqual([
      expect.objectContaining({
        exportId,
        customer: "Jane Doe",
        email: "jane.doe@example.com",
        status: "ready",
      }),
    ]);
    // In Tokyo's time (the screen says "Times in Japan Standard Time"), in the app's one date-time format.
    const [request] = await db()
      .select()
      .from(privacyExports)
      .where(eq(privacyExports.id, exportId));
    expect(data.dataRequests[0]!.received).toBe(
      new Intl.DateTimeFormat("en-US", {
        timeZone: "Asia/Tokyo",
        dateStyle: "medium",
        timeStyle: "short",
      }).format(request!.createdAt),
    );

    const handler = createStaticHandler([
      { id: "privacy", path: "/app/privacy", loader: () => data, Component: Privacy },
    ]);
    const context = await handler.query(new Request(`${APP_URL}/app/privacy`));
    if (context instanceof Response) throw new Error("unexpected redirect");
    const html = renderToString(
      createElement(
        AppProvider,
        { i18n: enTranslations },
        createElement(StaticRouterProvider, {
          router: createStaticRouter(handler.dataRoutes, context),
          context,
        }),
      ),
    );
    expect(html).toContain("Jane Doe");
    expect(html).toContain("Download");
    expect(html).toContain(`/app/privacy/exports/${exportId}`);
  });

  it("downloads the export as a JSON attachment, only for the shop it belongs to", async () => {
    const response = await downloadLoader(
      await args(`/app/privacy/exports/${exportId}/download`, { exportId: String(exportId) }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="customer-7001002003-data-export-${exportId}.json"`,
    );
    const file = JSON.parse(await response.text());
    expect(file).toMatchObject({ shop: TEST_SHOP, exportId, customerId: "7001002003" });
    expect(file.data.customer.email).toBe("jane.doe@example.com");
    expect(file.data.orders.map((o: { name: string }) => o.name)).toEqual(["#1042"]);

    // Another shop's export, and an id that is not one, are not found.
    const theirs = await downloadLoader(
      await args(`/app/privacy/exports/${otherExportId}/download`, {
        exportId: String(otherExportId),
      }),
    );
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain("#7777");
    const junk = await downloadLoader(
      await args("/app/privacy/exports/abc/download", { exportId: "abc" }),
    );
    expect(junk.status).toBe(404);
  });

  it("summarises the export in merchant words, and 404s on another shop's", async () => {
    const summary = await viewLoader(
      await args(`/app/privacy/exports/${exportId}`, { exportId: String(exportId) }),
    );
    expect(summary.customer).toBe("Jane Doe");
    expect(summary.profile).toContainEqual(["Email", "jane.doe@example.com"]);
    expect(summary.orders).toEqual([
      expect.objectContaining({ name: "#1042", total: expect.stringMatching(/^\$/) }),
    ]);
    // Placed 2026-11-20T10:15:00-05:00: already the 21st in Tokyo, whose zone the page names.
    expect(summary.orders[0]!.placed).toMatch(/^Nov 21, 2026, 12:15\sAM$/);
    expect(summary.timeZone).toBe("Japan Standard Time");
    // No vendor connected: the export says nothing was sent there.
    expect(summary.vendors).toEqual([
      "Klaviyo was not connected: Switchboard sent nothing there.",
      "Gorgias was not connected: Switchboard sent nothing there.",
    ]);
    const theirs = await viewLoader(
      await args(`/app/privacy/exports/${otherExportId}`, { exportId: String(otherExportId) }),
    ).catch((thrown: unknown) => thrown);
    expect(theirs).toBeInstanceOf(Response);
    expect((theirs as Response).status).toBe(404);
  });

  it("lists an erasure with what each vendor was asked (none connected: nothing sent)", async () => {
    await deliver("customers/redact", customersRedactPayload(), {
      shop: TEST_SHOP,
      webhookId: "ps-redact",
    });
    expect((await settledEvent(db(), "ps-redact")).status).toBe("processed");
    const data = await privacyLoader(await args("/app/privacy"));
    expect(data.redactions).toEqual([
      expect.objectContaining({
        customerId: "7001002003",
        removedOrders: 1,
        removedHere: expect.stringMatching(
          /^Deleted here: their profile, 1 order and \d+ Shopify notifications/,
        ),
        vendors: [
          expect.objectContaining({
            vendor: "Klaviyo",
            text: expect.stringMatching(/^Not connected/),
          }),
          expect.objectContaining({
            vendor: "Gorgias",
            text: expect.stringMatching(/^Not connected/),
          }),
        ],
      }),
    ]);
    // The customer's export went with the redaction, and nothing names them any more.
    expect(data.dataRequests).toEqual([]);
    expect(JSON.stringify(data)).not.toContain("jane.doe@example.com");
  });
});
