import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
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
    const run = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", data.create(data.big))).id);
    expect(run.actions.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ["shopify-tags-add", "sync", "requested"],
      ["gorgias-ticket", "service", "requested"],
    ]);
    const rows = await kit.settled(run.actions.map((a) => a.key!));
    expect(rows.map((r) => [r.vendor, r.status, r.lastError])).toEqual(expect.arrayContaining([["shopify", "succeeded", null], ["gorgias", "succeeded", null]]));
    const tagged = admin().operations().slice(callsBefore).filter((o) => o.operationName === "SwitchboardTagsAdd");
    expect(tagged.map((o) => [o.status, o.variables])).toEqual([[200, { id: `gid://shopify/Order/${data.big.id}`, tags: ["white-glove"] }]]);
    expect(data.store.orders.find((o) => o.id === data.big.id)!.tags).toContain("white-glove");
    const [ticket] = fakes().gorgias.state.tickets;
    expect(ticket!.subject).toBe(`White-glove follow-up: order ${data.big.name} (${formatMoney(Number(data.big.totals.total.shop), data.big.currency)})`);
    expect(ticket!.tags.map((t) => t.name).sort()).toEqual(["switchboard", "white-glove"]);
  });

  it("names what the buyer paid in their currency next to the shop-currency total", async () => {
    const order = data.foreign;
    const run = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", data.create(order))).id);
    const paid = `${formatMoney(Number(order.totals.total.presentment), order.presentmentCurrency)} (${formatMoney(Number(order.totals.total.shop), order.currency)})`;
    expect(run.reasons).toEqual([`paid ${paid}`]);
    expect(run.actions.find((a) => a.kind === "gorgias-ticket")!.summary).toBe(`Gorgias ticket: white-glove follow-up for ${order.name}`);
  });

  it("stays quiet below the threshold", async () => {
    const run = await kit.runFor(RECIPE_ID, (await kit.send("orders/create", data.create(data.small))).id);
    expect(run.outcome).toBe("skipped");
    expect(run.reasons[0]).toBe(`${formatMoney(Number(data.small.totals.total.shop), "USD")} is below $150.00`);
  });
});
