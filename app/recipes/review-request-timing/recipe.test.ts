import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { after, dayAt, DAY_MS as DAY, HOUR_MS, shopDate } from "../../../tests/helpers/time";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { deliveredOrder } from "./fixtures/fulfillment_events-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

const DEE = { id: 7_300_000_001, email: "dee.livered@example.com" };
const ELI = { id: 7_300_000_002, email: "eli.unhappy@example.com" };

describeWithRuntime("review-request-timing", ({ runtime }) => {
  const kit = recipeKit(runtime);
  // Every order here was delivered yesterday at 15:00 UTC (by the runtime's clock): asked 7 days later.
  let delivered: Date;
  let due: Date;

  beforeAll(async () => {
    delivered = dayAt(runtime().clock.now(), -1, "15:00");
    due = after(delivered, 7 * DAY);
    await kit.connect(["klaviyo"]);
    await kit.enable(RECIPE_ID, { daysAfterDelivery: 7, holdDays: 3 });
  });

  async function deliver(order: ReturnType<typeof deliveredOrder>) {
    await kit.send("orders/create", order.ordersCreate);
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    return kit.runFor(RECIPE_ID, (await kit.send("fulfillment_events/create", order.delivered)).id);
  }

  it("fires 7 days after delivery: a “Review Request Due” Klaviyo event", async () => {
    const order = deliveredOrder(1, DEE, delivered);
    const scheduled = await deliver(order);
    expect(scheduled).toMatchObject({
      outcome: "scheduled",
      reasons: [`delivered ${shopDate(delivered)}; asks on ${shopDate(due)}`],
    });
    expect(scheduled.scheduled).toEqual([{ name: "review-request", at: due.toISOString() }]);
    const [pending] = await kit.pendingFollowUps(RECIPE_ID);
    expect(pending!.startAfter.toISOString()).toBe(due.toISOString());
    const [result] = await kit.fireFollowUps(RECIPE_ID);
    const [evaluation] = result!.evaluations;
    expect(evaluation!.outcome).toBe("acted");
    await kit.settled(evaluation!.actions.map((a) => a.key));
    expect(fakes().klaviyo.state.events.map((e) => [e.metricName, e.properties.OrderName])).toEqual(
      [["Review Request Due", order.orderName]],
    );
    // Another delivery event for the same order does not ask twice.
    const again = await kit.runFor(
      RECIPE_ID,
      (
        await kit.send("fulfillments/update", {
          ...order.fulfillmentsCreate,
          shipment_status: "delivered",
          updated_at: after(delivered, 17 * HOUR_MS).toISOString(),
        })
      ).id,
    );
    expect(again.reasons).toEqual(["the review request was already sent"]);
  });

  it("is capped: no second marketing message to the same customer within 24 hours", async () => {
    const order = deliveredOrder(2, DEE, delivered);
    await deliver(order);
    // Due the same moment Dee got the first request (the cap's clock is the follow-up's time).
    const [result] = await kit.fireFollowUps(RECIPE_ID, due, `order/${order.orderId}`);
    const [evaluation] = result!.evaluations;
    expect(evaluation!.outcome).toBe("scheduled");
    expect(evaluation!.reasons[0]).toBe(
      `held back: frequency cap: 1 marketing message per 24 h already reached for this customer; checks again on ${shopDate(after(due, DAY))}`,
    );
  });

  it("is suppressed while a ticket is open, asks once it closes, and gives up after the hold period", async () => {
    const order = deliveredOrder(3, ELI, delivered);
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 7_301,
      email: ELI.email,
      status: "open",
      updatedAt: after(delivered, 4 * DAY),
    });
    await deliver(order);
    const subject = `order/${order.orderId}`;
    const [held] = await kit.fireFollowUps(RECIPE_ID, due, subject);
    expect(held!.evaluations[0]!.reasons[0]).toBe(
      `held back: the customer has an open Gorgias ticket; checks again on ${shopDate(after(due, DAY))}`,
    );
    const [retry] = await kit.pendingFollowUps(RECIPE_ID, subject);
    expect(retry).toMatchObject({ payload: { attempt: 2, subject: `order/${order.orderId}` } });
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 7_301,
      email: ELI.email,
      status: "closed",
      updatedAt: after(due, 18 * HOUR_MS),
    });
    const [sent] = await kit.fireFollowUps(RECIPE_ID, after(due, DAY), subject);
    expect(sent!.evaluations[0]!.outcome).toBe("acted");

    const stuck = deliveredOrder(
      4,
      { id: 7_300_000_004, email: "fay.refund@example.com" },
      delivered,
    );
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 7_302,
      email: "fay.refund@example.com",
      status: "open",
      updatedAt: after(delivered, 4 * DAY),
    });
    await deliver(stuck);
    // Each check starts a little late (queue latency, a clock behind the database's): the hold
    // still counts whole days on the schedule, so no check is lost.
    for (let day = 0; day <= 3; day++)
      await kit.fireFollowUps(RECIPE_ID, after(due, day * DAY + 90_000), `order/${stuck.orderId}`);
    const runs = (await kit.runs(RECIPE_ID)).filter(
      (r) => r.orderId === String(stuck.orderId) && r.trigger === "follow-up:review-request",
    );
    // Checked on the due day and the 3 days after; then dropped.
    expect(runs.map((r) => r.outcome)).toEqual(["scheduled", "scheduled", "scheduled", "skipped"]);
    expect(runs[3]!.reasons[0]).toBe(
      "dropped after waiting 3 days: the customer has an open Gorgias ticket",
    );
  });

  it("stays quiet for carrier news that is not a delivery", async () => {
    const order = deliveredOrder(5, DEE, delivered);
    await kit.send("orders/create", order.ordersCreate);
    await kit.send("fulfillments/create", order.fulfillmentsCreate);
    const before = (await kit.runs(RECIPE_ID)).length;
    await kit.send("fulfillment_events/create", {
      ...order.delivered,
      id: 9_399_999,
      status: "in_transit",
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await kit.runs(RECIPE_ID)).length).toBe(before);
  });
});
