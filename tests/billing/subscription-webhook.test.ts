import "../helpers/real-fetch";
import "../helpers/shopify";
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { shopBilling } from "../../app/models/billing.server";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_B } from "../helpers/vendors";
import { deliver, settledEvent } from "../helpers/webhooks";

describeWithRuntime("app_subscriptions/update sets the plan whose limits apply", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = () => runtime().clock.now();
  const createdAt = () => new Date(now().getTime() - 3 * 86_400_000);

  async function update(status: string, id = "gid://shopify/AppSubscription/41") {
    const webhookId = randomUUID();
    const response = await deliver(
      "app_subscriptions/update",
      {
        app_subscription: {
          admin_graphql_api_id: id,
          name: "Growth",
          status,
          admin_graphql_api_shop_id: "gid://shopify/Shop/2",
          created_at: createdAt().toISOString(),
          updated_at: now().toISOString(),
          currency: "USD",
          capped_amount: "200.0",
        },
      },
      { shop: SHOP_B, webhookId },
    );
    expect(response.status).toBe(200);
    expect(await settledEvent(db(), webhookId)).toMatchObject({ status: "processed" });
  }

  it("an approved plan lifts the limits; a frozen or cancelled one drops the shop to Free, saying which lapsed", async () => {
    expect((await shopBilling(db(), SHOP_B, now())).plan.name).toBe("Free");

    await update("ACTIVE");
    const active = await shopBilling(db(), SHOP_B, now());
    expect(active.plan).toMatchObject({ name: "Growth", limits: { recipesOn: 5 } });
    expect(active.lapsed).toBeNull();

    await update("FROZEN");
    const frozen = await shopBilling(db(), SHOP_B, now());
    expect(frozen.plan).toMatchObject({ name: "Free", limits: { recipesOn: 2 } });
    expect(frozen.lapsed).toEqual({ name: "Growth", status: "FROZEN" });

    await update("CANCELLED");
    expect((await shopBilling(db(), SHOP_B, now())).lapsed).toEqual({
      name: "Growth",
      status: "CANCELLED",
    });
  });
});
