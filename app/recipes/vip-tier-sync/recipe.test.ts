import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { janesOrder, refunded } from "./fixtures/orders-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

describeWithRuntime("vip-tier-sync", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await kit.connect(["klaviyo"]);
    await kit.enable(RECIPE_ID, { minLifetimeSpend: 250, minOrders: 0, listName: "VIP customers" });
  });

  it("stays quiet while the customer is below the threshold", async () => {
    const event = await kit.send("orders/create", janesOrder(1));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run).toMatchObject({ outcome: "skipped", customerId: "7001002003", actions: [] });
    expect(run.reasons).toEqual(["not VIP yet ($129.50 over 1 order)"]);
  });

  it("fires when lifetime spend crosses it (the Klaviyo VIP list and property, even with an open ticket: data, not a message) and takes them off when refunds bring them below", async () => {
    const { klaviyo } = fakes();
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: 61_001,
      email: "jane.doe@example.com",
      status: "open",
      updatedAt: new Date(),
    });
    const joined = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", janesOrder(2))).id);
    expect(joined.outcome).toBe("acted");
    expect(joined.actions.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ["klaviyo-list-add", "sync", "requested"],
    ]);
    const [delivery] = await kit.settled(joined.actions.map((a) => a.key!));
    expect(delivery!.status).toBe("succeeded");
    const profile = klaviyo.findProfile({ email: "jane.doe@example.com" })!;
    expect(profile.properties).toMatchObject({
      switchboard_vip: true,
      switchboard_lifetime_spend: 259,
    });
    const list = [...klaviyo.state.lists.values()].find((l) => l.name === "VIP customers")!;
    expect(klaviyo.listMemberIds(list.id)).toEqual([profile.id]);

    // The next order of a VIP changes nothing.
    const again = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", janesOrder(3))).id);
    expect(again.reasons).toEqual(["already VIP ($388.50 over 3 orders)"]);

    // Two refunds later she is at $129.50: off the list, property false.
    await kit.send("orders/updated", refunded(3));
    const left = await kit.runFor(RECIPE_ID, (await kit.send("orders/updated", refunded(2))).id);
    expect(left.outcome).toBe("acted");
    expect(left.reasons).toEqual(["no longer qualifies ($129.50 over 3 orders)"]);
    expect(left.actions.map((a) => a.kind)).toEqual(["klaviyo-list-remove", "klaviyo-profile"]);
    expect((await kit.settled(left.actions.map((a) => a.key!))).map((d) => d.status)).toEqual([
      "succeeded",
      "succeeded",
    ]);
    expect(klaviyo.findProfile({ email: "jane.doe@example.com" })!.properties).toMatchObject({
      switchboard_vip: false,
    });
    expect(klaviyo.listMemberIds(list.id)).toEqual([]);
  });
});
