import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { and, eq, isNotNull } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { recipeState, recipeTouches, variants } from "../../../db/schema/index";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { orderPayload } from "../../../tests/fixtures/shopify-payloads";
import { recipeKit, sandbox } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import {
  holdShopifyAdmin,
  storeOfflineSession,
  withShopifyAdminFake,
} from "../../../tests/helpers/shopify-admin";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { waitFor } from "../../../tests/helpers/webhooks";
import { customerKey } from "../engine/guards.server";
import { mugStock } from "./fixtures/inventory_levels-update";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();
withShopifyAdminFake(sandbox);

/** Three customers who were offered the mug after an order (the upsell's memory). */
const AUDIENCE = [
  { id: 7_200_000_001, email: "ada.offered@example.com" },
  { id: 7_200_000_002, email: "bo.offered@example.com" },
  { id: 7_200_000_003, email: "cy.offered@example.com" },
];

describeWithRuntime("low-stock-promo-pause", ({ runtime }) => {
  const kit = recipeKit(runtime);
  const mug = mugStock();

  beforeAll(async () => {
    await storeOfflineSession(kit.shop);
    await kit.connect(["klaviyo"]);
    await kit.enable(RECIPE_ID, { threshold: 5 });
    for (const [i, c] of AUDIENCE.entries()) {
      await kit.send(
        "orders/create",
        orderPayload({
          id: 6_200_000_000 + i,
          name: `#62${i}`,
          email: c.email,
          customer: { id: c.id, email: c.email, first_name: "Offered", tags: "" },
        }),
      );
      await kit
        .db()
        .insert(recipeState)
        .values({
          shop: kit.shop,
          recipeId: "post-purchase-upsell",
          subject: `order:${6_200_000_000 + i}`,
          customerId: String(c.id),
          value: { variantId: String(mug.variant.id), decidedAt: new Date().toISOString() },
        });
    }
  });

  it("learns which variant an inventory item is (one Admin read), then judges its next update", async () => {
    // The run on this update and the Admin lookup it starts (sync-inventory-item) are concurrent
    // jobs: the lookup is held until the run is recorded, so the run sees an unknown item.
    const releaseAdmin = holdShopifyAdmin();
    const first = await kit.send("inventory_levels/update", mug.level("main", 10));
    const run = await kit.runFor(RECIPE_ID, first.id);
    releaseAdmin();
    expect(run.reasons[0]).toMatch(/not linked to a variant yet/);
    await waitFor(
      async () =>
        (
          await kit
            .db()
            .select()
            .from(variants)
            .where(
              and(eq(variants.id, String(mug.variant.id)), isNotNull(variants.inventoryItemId)),
            )
        ).length > 0,
    );
    const quiet = await kit.runFor(
      RECIPE_ID,
      (await kit.send("inventory_levels/update", mug.level("shop", 4))).id,
    );
    expect(quiet).toMatchObject({
      outcome: "skipped",
      subject: `SKU ${mug.variant.sku}`,
      reasons: ["14 in stock (threshold 5)"],
    });
  });

  it("fires below the threshold: out of offers, and flagged in Klaviyo for the customers who were offered it", async () => {
    const event = await kit.send("inventory_levels/update", mug.level("main", 0));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("acted");
    expect(run.reasons[0]).toBe("4 in stock, below 5: taken out of post-purchase offers");
    expect(run.actions.map((a) => [a.kind, a.channel, a.status])).toEqual(
      AUDIENCE.map(() => ["klaviyo-event", "sync", "requested"]),
    );
    await kit.settled(run.actions.map((a) => a.key!));
    expect(fakes().klaviyo.state.events.map((e) => [e.metricName, e.properties.Sku])).toEqual(
      AUDIENCE.map(() => ["Offer Paused Low Stock", mug.variant.sku]),
    );
    const [paused] = await kit
      .db()
      .select()
      .from(recipeState)
      .where(
        and(
          eq(recipeState.recipeId, RECIPE_ID),
          eq(recipeState.subject, `variant:${mug.variant.id}`),
        ),
      );
    expect(paused!.value).toMatchObject({ paused: true, available: 4 });
    // Still low: nothing new.
    const still = await kit.runFor(
      RECIPE_ID,
      (await kit.send("inventory_levels/update", mug.level("shop", 3))).id,
    );
    expect(still.reasons).toEqual(["3 in stock (threshold 5); still paused"]);
  });

  it("on restock sends “Back In Stock”, capped for whoever already got a marketing message today and held back while a ticket is open", async () => {
    const [ada, bo, cy] = AUDIENCE;
    await kit
      .db()
      .insert(recipeTouches)
      .values({
        shop: kit.shop,
        customerKey: customerKey({ id: String(bo!.id) })!,
        customerId: String(bo!.id),
        channel: "marketing",
        recipeId: "review-request-timing",
        actionKey: "earlier-review-request",
        at: new Date(Date.now() - 3_600_000),
      });
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 9_301,
      email: cy!.email,
      status: "open",
      updatedAt: new Date(),
    });
    const event = await kit.send("inventory_levels/update", mug.level("main", 30));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("acted");
    const byCustomer = Object.fromEntries(
      run.actions.map((a) => [
        a.summary.split("customer ")[1],
        [a.channel, a.status, a.reason ?? null],
      ]),
    );
    expect(byCustomer).toEqual({
      [ada!.id]: ["marketing", "requested", null],
      [bo!.id]: [
        "marketing",
        "capped",
        "frequency cap: 1 marketing message per 24 h already reached for this customer",
      ],
      [cy!.id]: ["marketing", "suppressed", "the customer has an open Gorgias ticket"],
    });
    await kit.settled(run.actions.filter((a) => a.status === "requested").map((a) => a.key!));
    expect(fakes().klaviyo.state.events.map((e) => e.metricName)).toEqual(["Back In Stock"]);
    const [state] = await kit
      .db()
      .select()
      .from(recipeState)
      .where(
        and(
          eq(recipeState.recipeId, RECIPE_ID),
          eq(recipeState.subject, `variant:${mug.variant.id}`),
        ),
      );
    expect(state!.value).toMatchObject({ paused: false, available: 33 });
  });
});
