import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { shops } from "../../../db/schema/index";
import { runRecipes } from "../../jobs/tasks/run-recipes.server";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { payload, recipeKit, sandbox } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { waitFor } from "../../../tests/helpers/webhooks";
import { lateParcel } from "./fixtures/fulfillment_events-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

describeWithRuntime("shipping-delay-outreach", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await kit.connect();
    await kit.enable(RECIPE_ID);
  });

  it("fires on a delayed parcel: “Shipment Delayed” in Klaviyo with tracking and the new estimate, and a proactive Gorgias ticket", async () => {
    const parcel = lateParcel("delayed");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const event = await kit.send("fulfillment_events/create", parcel.lateEvent);
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run).toMatchObject({
      outcome: "acted",
      subject: `Order ${parcel.order.name}`,
      orderId: String(parcel.order.id),
    });
    expect(run.actions.map((a) => [a.kind, a.status])).toEqual([
      ["klaviyo-event", "requested"],
      ["gorgias-ticket", "requested"],
    ]);
    const rows = await kit.settled(run.actions.map((a) => a.key!));
    expect(rows.map((r) => [r.operation, r.status, r.lastError])).toEqual(
      expect.arrayContaining([
        ["klaviyo-event", "succeeded", null],
        ["gorgias-ticket", "succeeded", null],
      ]),
    );

    const [klaviyoEvent] = fakes().klaviyo.state.events;
    expect(klaviyoEvent).toMatchObject({
      metricName: "Shipment Delayed",
      properties: expect.objectContaining({
        OrderName: parcel.order.name,
        Status: "delayed",
        Carrier: parcel.fulfillment.trackingCompany,
        TrackingNumber: parcel.fulfillment.trackingNumbers[0],
      }),
    });
    const estimate =
      parcel.lateEvent.estimated_delivery_at ?? parcel.fulfillment.estimatedDeliveryAt;
    expect(klaviyoEvent!.properties.NewEstimate).toBe(
      estimate ? new Date(String(estimate)).toISOString() : null,
    );
    const [ticket] = fakes().gorgias.state.tickets;
    expect(ticket!.subject).toBe(`Order ${parcel.order.name} is delayed`);
    expect(ticket!.tags.map((t) => t.name).sort()).toEqual(["proactive-wismo", "switchboard"]);
    expect(ticket!.customer).toMatchObject({ email: parcel.order.email });
  });

  it("reaches out once per fulfillment: a later event and a replayed job add nothing", async () => {
    const parcel = lateParcel("delayed");
    const before = {
      klaviyo: fakes().klaviyo.state.events.length,
      tickets: fakes().gorgias.state.tickets.length,
      deliveries: (await kit.deliveries()).length,
    };
    // The same delay again, as fulfillments/update this time.
    const update = await kit.send("fulfillments/update", {
      ...parcel.fulfillmentsCreate,
      shipment_status: "delayed",
      updated_at: new Date().toISOString(),
    });
    const second = await kit.runFor(RECIPE_ID, update.id);
    expect(second.outcome).toBe("skipped");
    expect(second.reasons[0]).toMatch(/already contacted about this shipment/);
    // The first event's job run again (a dead letter's Retry does this).
    const [first] = (await kit.runs(RECIPE_ID)).filter((r) => r.outcome === "acted");
    const eventId = Number(first!.eventKey.split("/")[1]);
    await runtime().queue.enqueue(
      runRecipes,
      { type: "webhook", shop: kit.shop, eventId },
      { key: `replay-test:${eventId}` },
    );
    await waitFor(
      async () =>
        (
          await runtime().database.executeSql(
            `select 1 from pgboss.job where singleton_key = 'replay-test:${eventId}' and state = 'completed'`,
          )
        ).rows.length > 0,
    );
    expect((await kit.deliveries()).length).toBe(before.deliveries);
    expect(fakes().klaviyo.state.events.length).toBe(before.klaviyo);
    expect(fakes().gorgias.state.tickets.length).toBe(before.tickets);
  });

  it("stays quiet while the parcel is simply in transit", async () => {
    const parcel = lateParcel("failure");
    await kit.send("orders/create", parcel.ordersCreate);
    await kit.send("fulfillments/create", parcel.fulfillmentsCreate);
    const event = await kit.send("fulfillment_events/create", parcel.inTransitEvent);
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.outcome).toBe("skipped");
    expect(run.reasons).toEqual(["the carrier status “in transit” is not one you reach out on"]);
    expect(run.actions).toEqual([]);
  });

  it("tags the customer's open ticket instead of opening a second one", async () => {
    const parcel = lateParcel("failure");
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 88_001,
      email: parcel.order.email,
      status: "open",
      updatedAt: new Date(),
    });
    const event = await kit.send("fulfillment_events/create", parcel.lateEvent);
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run.actions.map((a) => [a.kind, a.status])).toEqual([
      ["klaviyo-event", "requested"],
      ["gorgias-tag", "requested"],
    ]);
    expect(run.actions.find((a) => a.kind === "klaviyo-event")!.summary).toContain("(failure)");
  });

  it("checks a paid order N hours later and reaches out if nothing shipped", async () => {
    // Its note says when, in the shop's time zone.
    await kit
      .db()
      .insert(shops)
      .values({ domain: kit.shop, ianaTimezone: "America/New_York" })
      .onConflictDoUpdate({ target: shops.domain, set: { ianaTimezone: "America/New_York" } });
    const unshipped = sandbox().orders.find(
      (o) => o.financialStatus === "paid" && o.fulfillmentStatus === null && !o.cancelledAt,
    )!;
    await kit.send("orders/create", payload("orders/create", { orderId: unshipped.id }));
    const paid = await kit.send("orders/paid", payload("orders/paid", { orderId: unshipped.id }));
    const scheduled = await kit.runFor(RECIPE_ID, paid.id);
    expect(scheduled.outcome).toBe("scheduled");
    const [pending] = await kit.pendingFollowUps(RECIPE_ID);
    expect(pending!.startAfter.getTime() - scheduled.createdAt.getTime()).toBeGreaterThan(
      47 * 3_600_000,
    );
    const newYork = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      dateStyle: "medium",
      timeStyle: "short",
    });
    expect(scheduled.reasons).toEqual([
      `checks on ${newYork.format(pending!.startAfter)} that it shipped`,
    ]);
    const [result] = await kit.fireFollowUps(RECIPE_ID);
    const [evaluation] = result!.evaluations;
    expect(evaluation!.outcome).toBe("acted");
    expect(evaluation!.actions.map((a) => a.action.kind)).toEqual([
      "klaviyo-event",
      "gorgias-ticket",
    ]);
    expect(evaluation!.actions[0]!.action.summary).toContain("(unshipped)");
  });
});
