import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startShopifyAdminFake } from "./shopify-admin";
import { answerSubscription, approvedSubscription, billingOf } from "../store/billing";

const CREATE = /* GraphQL */ `
  mutation Create(
    $name: String!
    $returnUrl: URL!
    $trialDays: Int
    $test: Boolean
    $lineItems: [AppSubscriptionLineItemInput!]!
  ) {
    appSubscriptionCreate(
      name: $name
      returnUrl: $returnUrl
      trialDays: $trialDays
      test: $test
      lineItems: $lineItems
    ) {
      appSubscription {
        id
        status
        test
        lineItems {
          id
          plan {
            pricingDetails {
              __typename
              ... on AppUsagePricing {
                cappedAmount {
                  amount
                  currencyCode
                }
                terms
              }
            }
          }
        }
      }
      confirmationUrl
      userErrors {
        field
        message
      }
    }
  }
`;
const ACTIVE = /* GraphQL */ `
  query Active {
    currentAppInstallation {
      activeSubscriptions {
        id
        name
        status
      }
    }
  }
`;
const USAGE = /* GraphQL */ `
  mutation Usage($id: ID!, $price: MoneyInput!, $description: String!, $key: String) {
    appUsageRecordCreate(
      subscriptionLineItemId: $id
      price: $price
      description: $description
      idempotencyKey: $key
    ) {
      appUsageRecord {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    appSubscriptionCancel(id: $id) {
      appSubscription {
        status
      }
      userErrors {
        message
      }
    }
  }
`;

describe("Admin GraphQL fake: billing", () => {
  it("creates a pending subscription, activates it on approval, bills usage once per key up to the cap, and cancels", async () => {
    const now = Date.now();
    const fake = await startShopifyAdminFake({ clock: () => now });
    try {
      const created = await fake.graphql(CREATE, {
        name: "Growth",
        returnUrl: "https://app.example/app/plan",
        trialDays: 14,
        test: true,
        lineItems: [
          {
            plan: {
              appRecurringPricingDetails: {
                price: { amount: 19, currencyCode: "USD" },
                interval: "EVERY_30_DAYS",
              },
            },
          },
          {
            plan: {
              appUsagePricingDetails: {
                cappedAmount: { amount: 1, currencyCode: "USD" },
                terms: "1% of upsells",
              },
            },
          },
        ],
      });
      const result = created.body.data.appSubscriptionCreate;
      expect(result.userErrors).toEqual([]);
      expect(result.appSubscription).toMatchObject({ status: "PENDING", test: true });
      expect(result.confirmationUrl).toBe(
        `${fake.url}/admin/charges/${result.appSubscription.id.split("/").pop()}/confirm?shop=${encodeURIComponent(fake.shopDomain)}`,
      );
      const usageLine = result.appSubscription.lineItems[1];
      expect(usageLine.plan.pricingDetails).toMatchObject({
        __typename: "AppUsagePricing",
        terms: "1% of upsells",
      });

      expect(
        (await fake.graphql(ACTIVE)).body.data.currentAppInstallation.activeSubscriptions,
      ).toEqual([]);
      const id = Number(result.appSubscription.id.split("/").pop());
      answerSubscription(billingOf(fake.store), id, true, new Date(now));
      expect(
        (await fake.graphql(ACTIVE)).body.data.currentAppInstallation.activeSubscriptions,
      ).toEqual([{ id: result.appSubscription.id, name: "Growth", status: "ACTIVE" }]);

      const bill = (key: string, amount: string) =>
        fake.graphql(USAGE, {
          id: usageLine.id,
          price: { amount, currencyCode: "USD" },
          description: "fee",
          key,
        });
      const first = (await bill("offer-1", "0.60")).body.data.appUsageRecordCreate;
      const again = (await bill("offer-1", "0.60")).body.data.appUsageRecordCreate;
      expect(again.appUsageRecord.id).toBe(first.appUsageRecord.id);
      expect(billingOf(fake.store).usageRecords).toHaveLength(1);
      const capped = (await bill("offer-2", "0.50")).body.data.appUsageRecordCreate;
      expect(capped.appUsageRecord).toBeNull();
      expect(capped.userErrors[0].message).toBe("Total price exceeds balance remaining");

      const cancelled = await fake.graphql(CANCEL, { id: result.appSubscription.id });
      expect(cancelled.body.data.appSubscriptionCancel.appSubscription.status).toBe("CANCELLED");
      expect(
        (await fake.graphql(ACTIVE)).body.data.currentAppInstallation.activeSubscriptions,
      ).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it("serves the confirmation page: Approve activates and returns to the app, Decline declines, each with a signed app_subscriptions/update", async () => {
    const received: { hmac: string; topic: string; shop: string; body: string }[] = [];
    const app = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({
          hmac: String(req.headers["x-shopify-hmac-sha256"]),
          topic: String(req.headers["x-shopify-topic"]),
          shop: String(req.headers["x-shopify-shop-domain"]),
          body: req.url === "/webhooks/app_subscriptions/update" ? body : "",
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const now = Date.now();
    const fake = await startShopifyAdminFake({
      clock: () => now,
      webhooks: { appUrl, secret: "shh", topics: ["app_subscriptions/update"] },
      adminUrl: () => "http://127.0.0.1:9999",
    });
    const create = async () =>
      (
        await fake.graphql(CREATE, {
          name: "Growth",
          returnUrl: "https://admin.shopify.com/store/test/apps/switchboard/app/plan",
          trialDays: 14,
          test: true,
          lineItems: [
            {
              plan: {
                appRecurringPricingDetails: {
                  price: { amount: 19, currencyCode: "USD" },
                  interval: "EVERY_30_DAYS",
                },
              },
            },
            {
              plan: {
                appUsagePricingDetails: {
                  cappedAmount: { amount: 200, currencyCode: "USD" },
                  terms: "1% of charged post-purchase upsell revenue",
                },
              },
            },
          ],
        })
      ).body.data.appSubscriptionCreate;
    const answer = (url: string, decision: string) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ decision }),
        redirect: "manual",
      });
    try {
      const first = await create();
      const page = await (await fetch(first.confirmationUrl)).text();
      expect(page).toContain("Approve the Growth plan");
      expect(page).toContain("$19.00 USD every 30 days");
      expect(page).toContain("14-day free trial");
      expect(page).toContain("1% of charged post-purchase upsell revenue");
      expect(page).toContain("capped at $200.00 USD every 30 days");
      expect(page).toContain("Test charge");

      const approved = await answer(first.confirmationUrl, "approve");
      expect(approved.status).toBe(303);
      const id = first.appSubscription.id.split("/").pop();
      expect(approved.headers.get("location")).toBe(
        `http://127.0.0.1:9999/store/test/apps/switchboard/app/plan?charge_id=${id}`,
      );
      expect(
        (await fake.graphql(ACTIVE)).body.data.currentAppInstallation.activeSubscriptions,
      ).toEqual([{ id: first.appSubscription.id, name: "Growth", status: "ACTIVE" }]);
      // Answered once: a second answer changes nothing.
      expect((await answer(first.confirmationUrl, "decline")).status).toBe(409);

      const second = await create();
      const declined = await answer(second.confirmationUrl, "decline");
      expect(declined.headers.get("location")).toBe(
        "http://127.0.0.1:9999/store/test/apps/switchboard/app/plan",
      );
      await fake.graphql(CANCEL, { id: first.appSubscription.id });
      await fake.billing.settled();

      expect(
        received.map((r) => {
          const body = JSON.parse(r.body).app_subscription;
          return [r.topic, r.shop, body.admin_graphql_api_id, body.status];
        }),
      ).toEqual([
        ["app_subscriptions/update", fake.shopDomain, first.appSubscription.id, "ACTIVE"],
        ["app_subscriptions/update", fake.shopDomain, second.appSubscription.id, "DECLINED"],
        ["app_subscriptions/update", fake.shopDomain, first.appSubscription.id, "CANCELLED"],
      ]);
      for (const r of received)
        expect(r.hmac).toBe(createHmac("sha256", "shh").update(r.body, "utf8").digest("base64"));
    } finally {
      await fake.close();
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it("starts a store on an approved plan (the demo's Scale) and tells the app as an approval does", async () => {
    const received: { topic: string; hmac: string; body: string }[] = [];
    const app = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({
          topic: String(req.headers["x-shopify-topic"]),
          hmac: String(req.headers["x-shopify-hmac-sha256"]),
          body,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const now = Date.now();
    const fake = await startShopifyAdminFake({
      clock: () => now,
      webhooks: {
        appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
        secret: "shh",
        topics: ["app_subscriptions/update"],
      },
    });
    try {
      const changed = approvedSubscription(
        billingOf(fake.store),
        {
          name: "Scale",
          returnUrl: "https://admin.shopify.com/store/test/apps/switchboard/app/plan",
          trialDays: 14,
          test: true,
          lineItems: [
            {
              plan: {
                appRecurringPricingDetails: {
                  price: { amount: 79, currencyCode: "USD" },
                  interval: "EVERY_30_DAYS",
                },
              },
            },
            {
              plan: {
                appUsagePricingDetails: {
                  cappedAmount: { amount: 1000, currencyCode: "USD" },
                  terms: "0.5% of charged post-purchase upsell revenue",
                },
              },
            },
          ],
        },
        new Date(now),
      );
      fake.billing.changed(fake.shopDomain, changed);
      await fake.billing.settled();
      const [active] = (await fake.graphql(ACTIVE)).body.data.currentAppInstallation
        .activeSubscriptions;
      expect(active).toMatchObject({ name: "Scale", status: "ACTIVE" });
      expect(fake.billing.deliveries.map((d) => d.status)).toEqual([200]);
      expect(
        received.map((r) => {
          const body = JSON.parse(r.body).app_subscription;
          return [r.topic, body.admin_graphql_api_id, body.name, body.status];
        }),
      ).toEqual([["app_subscriptions/update", active.id, "Scale", "ACTIVE"]]);
      expect(received[0]!.hmac).toBe(
        createHmac("sha256", "shh").update(received[0]!.body, "utf8").digest("base64"),
      );
    } finally {
      await fake.close();
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
