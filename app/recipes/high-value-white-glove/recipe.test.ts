import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { deliveryAttempts } from "../../../db/schema/index";
import { recipeKit, sandbox } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../../../tests/helpers/shopify-admin";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { formatMoney } from "../shared";
import { orders } from "./fixtures/orders-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();
const admin = withShopifyAdminFake(sandbox);

describeWithRuntime("high-value-white-glove", ({ runtime }) => {
  const kit = recipeKit(runtime);
  const data = orders();

  beforeAll(async () => {
    await storeOfflineSession(kit.shop);
    await kit.connect(["gorgias"]);
    await kit.enable(RECIPE_ID, { threshold: 150 });
  });

  it("fires on a big order: tags it in Shopify (tagsAdd) and opens a Gorgias ticket for a personal follow-up", async () => {
    const callsBefore = admin().operations().length;
    const run = await kit.runFor(
      RECIPE_ID,
      (await kit.send("orders/create", data.create(data.big))).id,
    );
    expect(run.actions.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ["shopify-tags-add", "sync", "requested"],
      ["gorgias-ticket", "service", "requested"],
    ]);
    const rows = await kit.settled(run.actions.map((a) => a.key!));
    expect(rows.map((r) => [r.vendor, r.status, r.lastError])).toEqual(
      expect.arrayContaining([
        ["shopify", "succeeded", null],
        ["gorgias", "succeeded", null],
      ]),
    );
    const tagged = admin()
      .operations()
      .slice(callsBefore)
      .filter((o) => o.operationName === "SwitchboardTagsAdd");
    expect(tagged.map((o) => [o.status, o.variables])).toEqual([
      [200, { id: `gid://shopify/Order/${data.big.id}`, tags: ["white-glove"] }],
    ]);
    expect(data.store.orders.find((o) => o.id === data.big.id)!.tags).toContain("white-glove");
    const [ticket] = fakes().gorgias.state.tickets;
    expect(ticket!.subject).toBe(
      `White-glove follow-up: order ${data.big.name} (${formatMoney(Number(data.big.totals.total.shop), data.big.currency)})`,
    );
    expect(ticket!.tags.map((t) => t.name).sort()).toEqual(["switchboard", "white-glove"]);
  });

  it("names what the buyer paid in their currency next to the shop-currency total", async () => {
    const order = data.foreign;
    const run = await kit.runFor(
      RECIPE_ID,
      (await kit.send("orders/create", data.create(order))).id,
    );
    const paid = `${formatMoney(Number(order.totals.total.presentment), order.presentmentCurrency)} (${formatMoney(Number(order.totals.total.shop), order.currency)})`;
    expect(run.reasons).toEqual([`paid ${paid}`]);
    expect(run.actions.find((a) => a.kind === "gorgias-ticket")!.summary).toBe(
      `Gorgias ticket: white-glove follow-up for ${order.name}`,
    );
    // Its tags must reach Shopify before the next test injects a 429, or they would take it.
    await kit.settled(run.actions.map((a) => a.key!));
  });

  it("retries tags Shopify throttled, keeping each call for Activity", async () => {
    const order = data.store.orders.find(
      (o) =>
        o.email &&
        Number(o.totals.total.shop) >= 150 &&
        !o.cancelledAt &&
        o.id !== data.big.id &&
        o.id !== data.foreign.id,
    )!;
    // Aimed at the tags call, set before the order arrives: other Admin calls (lookups, the
    // previous tests' stragglers) must not take the one 429, nor the tags beat the fault.
    admin().setFaults({
      burst429: 1,
      retryAfterSeconds: 1,
      appliesTo: (request) => request.rawBody.includes("SwitchboardTagsAdd"),
    });
    try {
      const created = await kit.send("orders/create", data.create(order));
      const run = await kit.runFor(RECIPE_ID, created.id);
      const tags = (
        await kit.settled(
          run.actions.map((a) => a.key!),
          30_000,
        )
      ).find((d) => d.vendor === "shopify")!;
      expect([tags.status, tags.attempts, tags.lastError]).toEqual(["succeeded", 2, null]);
      const calls = await runtime()
        .database.db.select()
        .from(deliveryAttempts)
        .where(and(eq(deliveryAttempts.shop, kit.shop), eq(deliveryAttempts.deliveryId, tags.id)))
        .orderBy(asc(deliveryAttempts.id));
      expect(calls.map((c) => [c.vendor, c.operation, c.httpStatus, c.attempt])).toEqual([
        ["shopify", "tags-add", 429, 1],
        ["shopify", "tags-add", 200, 2],
      ]);
      expect(data.store.orders.find((o) => o.id === order.id)!.tags).toContain("white-glove");
    } finally {
      admin().setFaults({ burst429: 0, appliesTo: undefined });
    }
  });

  it("gives up on tags Shopify refuses, with Shopify's reason", async () => {
    const order = data.store.orders.find(
      (o) =>
        o.email &&
        Number(o.totals.total.shop) >= 150 &&
        !o.cancelledAt &&
        ![data.big.id, data.foreign.id].includes(o.id) &&
        !o.tags.includes("white-glove"),
    )!;
    const body = data.create(order);
    // The order is gone from the store by the time the tags arrive: Shopify answers with userErrors.
    data.store.orders.splice(data.store.orders.indexOf(order), 1);
    const run = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", body)).id);
    const tags = (await kit.settled(run.actions.map((a) => a.key!))).find(
      (d) => d.vendor === "shopify",
    )!;
    expect(tags.status).toBe("dead");
    expect(tags.attempts).toBe(1);
    expect(tags.lastError).toMatch(/^Shopify refused the tags: /);
  });

  it("stays quiet below the threshold", async () => {
    const run = await kit.runFor(
      RECIPE_ID,
      (await kit.send("orders/create", data.create(data.small))).id,
    );
    expect(run.outcome).toBe("skipped");
    expect(run.reasons[0]).toBe(
      `${formatMoney(Number(data.small.totals.total.shop), "USD")} is below $150.00`,
    );
  });
});
