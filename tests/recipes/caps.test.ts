import { realFetch } from "../helpers/real-fetch";
import "../helpers/shopify";
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { after, dayAt, DAY_MS, shopDate } from "../helpers/time";
import { withVendorFakes } from "../helpers/vendors";
import { deliveredOrder } from "../../app/recipes/review-request-timing/fixtures/fulfillment_events-create";

void realFetch;
withVendorFakes();

const IVY = { id: 7_500_000_001, email: "ivy.both@example.com" };

describeWithRuntime("frequency caps across recipes", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await kit.connect(["klaviyo"]);
    // Both ask the same customer for something 7 days after the same delivery.
    await kit.enable("review-request-timing", { daysAfterDelivery: 7, holdDays: 5 });
    await kit.enable("replenishment-reminder", {
      items: [{ sku: "TEE-BLK-M", days: 7 }],
      scaleByQuantity: false,
      holdDays: 5,
    });
  });

  it("lets one marketing message through per 24 h whichever recipe sends it; the other waits a day", async () => {
    const delivered = dayAt(runtime().clock.now(), -1, "15:00");
    const order = deliveredOrder(21, IVY, delivered);
    await kit.send("orders/create", order.ordersCreate);
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    const deliveryEvent = await kit.send("fulfillment_events/create", order.delivered);
    await kit.runFor("review-request-timing", deliveryEvent.id);
    await kit.runFor("replenishment-reminder", deliveryEvent.id);

    const due = after(delivered, 7 * DAY_MS);
    const [review] = await kit.fireFollowUps("review-request-timing", due);
    const [refill] = await kit.fireFollowUps("replenishment-reminder", due);
    expect(review!.evaluations[0]!.outcome).toBe("acted");
    expect(refill!.evaluations[0]!.reasons[0]).toBe(
      `held back: frequency cap: 1 marketing message per 24 h already reached for this customer; checks again on ${shopDate(after(due, DAY_MS))}`,
    );

    // A day later the reminder goes out.
    const [later] = await kit.fireFollowUps("replenishment-reminder", after(due, DAY_MS));
    expect(later!.evaluations[0]!.outcome).toBe("acted");
    const touches = await runtime().database.executeSql(
      `select recipe_id, channel, at from recipe_touches where customer_id = $1 order by at`,
      [IVY.id],
    );
    expect(touches.rows.map((t) => [t.recipe_id, t.channel])).toEqual([
      ["review-request-timing", "marketing"],
      ["replenishment-reminder", "marketing"],
    ]);
  });

  it("counts marketing and upsell separately, and a guard configured per shop (2 per day) lets two through", async () => {
    await kit.guards({ marketingMax: 2 });
    const delivered = dayAt(runtime().clock.now(), -1, "15:00");
    const order = deliveredOrder(
      22,
      { id: 7_500_000_002, email: "jo.twice@example.com" },
      delivered,
    );
    await kit.send("orders/create", order.ordersCreate);
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    await kit.send("fulfillment_events/create", order.delivered);
    await kit.waitRun("replenishment-reminder", (r) => r.orderId === String(order.orderId));
    const due = after(delivered, 7 * DAY_MS);
    // An upsell offer the same day (a different channel) does not use the marketing cap.
    await kit.db().execute(
      sql`insert into recipe_touches (shop, customer_key, customer_id, channel, recipe_id, action_key, at)
        values (${kit.shop}, ${"id:7500000002"}, ${7_500_000_002}, 'upsell', 'post-purchase-upsell', 'offer-today', ${due.toISOString()})`,
    );
    const [review] = await kit.fireFollowUps(
      "review-request-timing",
      due,
      `order/${order.orderId}`,
    );
    const [refill] = await kit.fireFollowUps(
      "replenishment-reminder",
      due,
      `order/${order.orderId}/TEE-BLK-M`,
    );
    expect([review!.evaluations[0]!.outcome, refill!.evaluations[0]!.outcome]).toEqual([
      "acted",
      "acted",
    ]);
    await kit.guards({});
  });
});
