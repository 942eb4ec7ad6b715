import { sql } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { recipeSignals } from "../../app/models/recipe-activity.server";
import { RECIPES } from "../../app/recipes/registry";
import { lateParcel } from "../../app/recipes/shipping-delay-outreach/fixtures/fulfillment_events-create";
import { seedCustomer, seedUpsellShop } from "../helpers/post-purchase";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";

withVendorFakes();

describeWithRuntime("Home's what to switch on next", ({ runtime }) => {
  const kit = recipeKit(runtime);

  it("says what each recipe would have to do from the shop's own data, in one query", async () => {
    const db = kit.db();
    const parcel = lateParcel("delayed");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    await kit.send("fulfillment_events/create", parcel.lateEvent);
    // The fixture's dates are fixed: bring them into the last 30 days.
    await db.execute(
      sql`update orders set total_price = 800, created_at = now() where shop = ${SHOP_A}`,
    );
    await db.execute(sql`update customers set last_order_at = now() where shop = ${SHOP_A}`);
    await db.execute(sql`update fulfillments set delivered_at = now() where shop = ${SHOP_A}`);
    await db.execute(sql`update fulfillment_events set happened_at = now() where shop = ${SHOP_A}`);
    await seedUpsellShop(db, SHOP_A, { mug: 2, lantern: 10 });
    for (let i = 1; i <= 3; i++)
      await seedCustomer(db, SHOP_A, 9000 + i, `signals-${i}@example.com`);
    await db.execute(
      sql`update customers set last_order_at = now() - interval '90 days' where shop = ${SHOP_A} and id in ('9001', '9002')`,
    );
    await db.execute(
      sql`update customers set lifetime_spend = 2000 where shop = ${SHOP_A} and id = '9003'`,
    );
    await db.execute(
      sql`insert into gorgias_tickets (shop, ticket_id, customer_email, status, source_updated_at) values (${SHOP_A}, 1, 'signals-1@example.com', 'open', now()), (${SHOP_A}, 2, 'signals-2@example.com', 'open', now())`,
    );
    // One checkout left 5 hours ago, one still being filled in, one that became an order.
    await db.execute(
      sql`insert into checkouts (shop, token, id, currency, subtotal_price, created_at, last_activity_at, source_updated_at, order_id)
        values (${SHOP_A}, 'left', 1, 'USD', 40, now() - interval '6 hours', now() - interval '5 hours', now() - interval '5 hours', null),
               (${SHOP_A}, 'filling', 2, 'USD', 40, now() - interval '1 hour', now() - interval '10 minutes', now() - interval '10 minutes', null),
               (${SHOP_A}, 'ordered', 3, 'USD', 40, now() - interval '6 hours', now() - interval '5 hours', now() - interval '5 hours', 4)`,
    );

    const execute = vi.spyOn(db, "execute");
    const signals = await recipeSignals(db, SHOP_A, runtime().clock.now(), RECIPES);
    expect(execute).toHaveBeenCalledTimes(1);
    execute.mockRestore();
    expect(signals).toEqual({
      "post-purchase-upsell": {
        count: 1,
        text: "1 order in the last 30 days could each have shown an offer.",
      },
      "shipping-delay-outreach": {
        count: 1,
        text: "1 parcel was late or failed in the last 30 days.",
      },
      "vip-tier-sync": { count: 1, text: "1 customer already qualifies as VIP." },
      "win-back-segments": { count: 2, text: "2 customers have not ordered in 60+ days." },
      "open-ticket-suppression": {
        count: 2,
        text: "2 customers have an open Gorgias ticket right now.",
      },
      "low-stock-promo-pause": { count: 1, text: "1 item is below 5 units." },
      "high-value-white-glove": {
        count: 1,
        text: "1 order of $500.00 or more in the last 30 days.",
      },
      "review-request-timing": { count: 1, text: "1 parcel was delivered in the last 30 days." },
      "replenishment-reminder": {
        count: 1,
        text: "1 delivery in the last 30 days could start a reminder.",
      },
      "abandoned-checkout-recovery": {
        count: 1,
        text: "1 checkout was left without an order in the last 30 days.",
      },
    });
    // The same counts for a French admin, in French (1 is singular, so is 0).
    const french = await recipeSignals(db, SHOP_A, runtime().clock.now(), RECIPES, "fr");
    expect(french["win-back-segments"]).toEqual({
      count: 2,
      text: "2 clients n’ont pas commandé depuis plus de 60 jours.",
    });
    expect(french["vip-tier-sync"]).toEqual({
      count: 1,
      text: "1 client remplit déjà les conditions VIP.",
    });
    // An amount in the shop's currency, written the French way.
    expect(french["high-value-white-glove"]!.text.replace(/[\u00a0\u202f]/g, " ")).toBe(
      "1 commande de 500,00 $US ou plus ces 30 derniers jours.",
    );

    const elsewhere = await recipeSignals(
      db,
      "elsewhere.myshopify.com",
      runtime().clock.now(),
      RECIPES,
    );
    expect(Object.values(elsewhere).map((s) => s.count)).toEqual(RECIPES.map(() => 0));
    expect(elsewhere["win-back-segments"]!.text).toBe("0 customers have not ordered in 60+ days.");
  });
});
