import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { orderPayload } from "../../../tests/fixtures/shopify-payloads";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { after, dayAt, DAY_MS, shopDate } from "../../../tests/helpers/time";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { deliveredOrder } from "../review-request-timing/fixtures/fulfillment_events-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

const GIA = { id: 7_400_000_001, email: "gia.refills@example.com" };
const HAL = { id: 7_400_000_002, email: "hal.reorders@example.com" };

describeWithRuntime("replenishment-reminder", ({ runtime }) => {
  const kit = recipeKit(runtime);
  // Delivered yesterday at 15:00 UTC by the runtime's clock.
  let delivered: Date;

  beforeAll(async () => {
    delivered = dayAt(runtime().clock.now(), -1, "15:00");
    await kit.connect(["klaviyo"]);
    // The fixture's order has 2 × TEE-BLK-M and 1 × MUG-12; only the tee is a consumable here.
    await kit.enable(RECIPE_ID, { items: [{ sku: "TEE-BLK-M", days: 30 }], scaleByQuantity: true });
  });

  async function deliver(order: ReturnType<typeof deliveredOrder>) {
    await kit.send("orders/create", order.ordersCreate);
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    return kit.runFor(RECIPE_ID, (await kit.send("fulfillment_events/create", order.delivered)).id);
  }

  it("fires when the product should be running out (days per unit × quantity after delivery)", async () => {
    const order = deliveredOrder(11, GIA, delivered);
    const scheduled = await deliver(order);
    expect(scheduled).toMatchObject({
      outcome: "scheduled",
      reasons: [`TEE-BLK-M: reminder on ${shopDate(after(delivered, 60 * DAY_MS))} (60 days)`],
    });
    const [result] = await kit.fireFollowUps(
      RECIPE_ID,
      undefined,
      `order/${order.orderId}/TEE-BLK-M`,
    );
    const [evaluation] = result!.evaluations;
    expect(evaluation!.outcome).toBe("acted");
    await kit.settled(evaluation!.actions.map((a) => a.key));
    expect(
      fakes().klaviyo.state.events.map((e) => [
        e.metricName,
        e.properties.Sku,
        e.properties.DaysSupply,
      ]),
    ).toEqual([["Replenishment Due", "TEE-BLK-M", 60]]);
  });

  it("is cancelled when the customer reorders first", async () => {
    const order = deliveredOrder(12, HAL, delivered);
    await deliver(order);
    const reordered = runtime().clock.now();
    await kit.send(
      "orders/create",
      orderPayload({
        id: 6_399_000_001,
        name: "#6399",
        email: HAL.email,
        created_at: reordered.toISOString(),
        updated_at: reordered.toISOString(),
        customer: { id: HAL.id, email: HAL.email, tags: "" },
      }),
    );
    const [result] = await kit.fireFollowUps(
      RECIPE_ID,
      undefined,
      `order/${order.orderId}/TEE-BLK-M`,
    );
    expect(result!.evaluations[0]).toMatchObject({
      outcome: "skipped",
      reasons: [`cancelled: the customer reordered TEE-BLK-M in #6399 on ${shopDate(reordered)}`],
    });
    expect(fakes().klaviyo.state.events).toEqual([]);
  });

  it("stays quiet for an order without any of the SKUs", async () => {
    const order = deliveredOrder(13, GIA, delivered, [
      {
        id: 1,
        variant_id: 2,
        product_id: 3,
        sku: "OTHER-1",
        title: "Other",
        quantity: 1,
        price: "5.00",
      },
    ]);
    const run = await deliver(order);
    expect(run).toMatchObject({
      outcome: "skipped",
      reasons: ["nothing in this order has a consumption time set"],
    });
  });
});
