import { describe, expect, it } from "vitest";
import { runLine, type LineAction, type LineRun, type RunNames } from "./activity-lines";

const lena: RunNames = {
  orderName: "#1042",
  firstName: "Lena",
  lastName: "Park",
  email: "lena.park@example.com",
  ticketNumber: null,
  offerProduct: null,
  stockProduct: null,
};
const withheld: RunNames = { ...lena, firstName: null, lastName: null, email: null };

const delivered = (fields: Partial<NonNullable<LineAction["delivery"]>> = {}) => ({
  status: "succeeded" as const,
  list: null,
  metric: null,
  tags: null,
  resource: null,
  lastError: null,
  vendor: "klaviyo",
  ...fields,
});

const line = (run: Partial<LineRun>) =>
  runLine(
    {
      recipeId: "vip-tier-sync",
      outcome: "acted",
      reasons: [],
      scheduled: [],
      actions: [],
      names: lena,
      ...run,
    },
    () => "in 3 days",
  );

describe("Activity's sentences", () => {
  it("names the list, the product with its discount, and the order's tag", () => {
    expect(
      line({
        actions: [
          {
            kind: "klaviyo-list-remove",
            status: "requested",
            delivery: delivered({ list: "Win-back 90 days" }),
          },
        ],
      }).sentence,
    ).toBe("Removed Lena Park from the Klaviyo list Win-back 90 days");
    expect(
      line({
        recipeId: "post-purchase-upsell",
        names: { ...lena, offerProduct: "Ceramic mug – Blue" },
        actions: [
          {
            kind: "offer",
            status: "decided",
            summary: "Offer variant 45118200000030 at €5.00 off after #1042",
            delivery: null,
          },
        ],
      }).sentence,
    ).toBe("Offered Lena Park Ceramic mug – Blue at €5.00 off after #1042");
    expect(
      line({
        recipeId: "high-value-white-glove",
        actions: [
          {
            kind: "shopify-tags-add",
            status: "requested",
            delivery: delivered({ vendor: "shopify", resource: "Order", tags: ["white-glove"] }),
          },
        ],
      }).sentence,
    ).toBe("Tagged #1042 “white-glove” in Shopify");
    expect(
      line({
        actions: [{ kind: "klaviyo-list-reconcile", status: "requested", delivery: delivered() }],
      }).sentence,
    ).toBe("Synced the recipe's Klaviyo lists with who belongs on them");
  });

  it("says why a run was held back or is waiting, without ids", () => {
    const capped = line({
      outcome: "blocked",
      names: withheld,
      actions: [
        {
          kind: "klaviyo-list-add",
          status: "capped",
          reason: "frequency cap: 1 marketing message per 24 h already reached for this customer",
          delivery: null,
        },
      ],
    });
    expect(capped.sentence).toBe(
      "Held back: a customer already reached the limit of 1 marketing message per 24 h",
    );
    expect(capped.more).toEqual([
      "Would have added a customer to the Klaviyo list set in the recipe",
    ]);
    expect(
      line({
        outcome: "waiting",
        actions: [
          {
            kind: "klaviyo-list-add",
            status: "waiting",
            reason: "Waiting for Klaviyo to be connected",
            delivery: delivered({ status: "waiting", list: "VIP customers" }),
          },
        ],
      }).sentence,
    ).toBe(
      "Waiting: will add Lena Park to the Klaviyo list VIP customers once Klaviyo is connected",
    );
    expect(
      line({
        outcome: "skipped",
        reasons: ["Order 5912300000321 has no customer 7340120000018"],
      }).sentence,
    ).toBe("Skipped: The order has no customer");
    expect(line({ outcome: "scheduled", scheduled: [{ name: "check", at: "x" }] }).sentence).toBe(
      "Waiting to check #1042 in 3 days",
    );
  });
});
