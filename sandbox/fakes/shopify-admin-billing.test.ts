import { describe, expect, it } from "vitest";
import { startShopifyAdminFake } from "./shopify-admin";
import { answerSubscription, billingOf } from "../store/billing";

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
      expect(result.confirmationUrl).toMatch(/^https:\/\//);
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
      expect(capped.userErrors[0].message).toMatch(/capped amount/);

      const cancelled = await fake.graphql(CANCEL, { id: result.appSubscription.id });
      expect(cancelled.body.data.appSubscriptionCancel.appSubscription.status).toBe("CANCELLED");
      expect(
        (await fake.graphql(ACTIVE)).body.data.currentAppInstallation.activeSubscriptions,
      ).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
