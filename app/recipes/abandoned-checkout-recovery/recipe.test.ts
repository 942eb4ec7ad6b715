import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { checkouts, recipeState } from "../../../db/schema/index";
import { setAvailable, type SandboxOrder } from "../../../sandbox/store/index";
import { checkoutRecovery } from "../../models/checkout-recovery.server";
import { recordTicketState } from "../../models/gorgias-tickets.server";
import { linkVariantToInventoryItem } from "../../models/read-model.server";
import { recipeKit, sandbox } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { storeOfflineSession, withShopifyAdminFake } from "../../../tests/helpers/shopify-admin";
import { after, DAY_MS, HOUR_MS } from "../../../tests/helpers/time";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { carts as cartsOf, leftCheckout } from "./fixtures/checkouts-create";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();
withShopifyAdminFake(sandbox);

const WHITE_GLOVE_FROM = 300;

describeWithRuntime("abandoned-checkout-recovery", ({ runtime }) => {
  const kit = recipeKit(runtime);
  let now: Date;
  let carts: ReturnType<typeof cartsOf>;

  /** A variant's stock in the sandbox store (what Shopify answers), all at the first location. */
  const stock = (variantId: number | null, available: number) => {
    const store = sandbox();
    const variant = store.variants.find((v) => v.id === variantId)!;
    store.locations.forEach((location, i) =>
      setAvailable(store, variant.inventoryItemId, location.id, i === 0 ? available : 0),
    );
  };
  const inStock = (order: SandboxOrder) => order.lineItems.forEach((l) => stock(l.variantId, 20));

  /** Leaves the cart at `leftAt` (checkouts/create); returns the recipe's run on it. */
  async function leave(order: SandboxOrder, leftAt = now) {
    const checkout = leftCheckout(order, leftAt);
    const created = await kit.send("checkouts/create", checkout.checkoutsCreate);
    return { checkout, run: await kit.runFor(RECIPE_ID, created.id) };
  }

  /** Fires the checkout's due check at `at` (default: when it was due) and waits for its deliveries. */
  async function fire(subject: string, at?: Date) {
    const [result] = await kit.fireFollowUps(RECIPE_ID, at, subject);
    const evaluation = result!.evaluations.find((e) => e.recipe.id === RECIPE_ID)!;
    const rows = await kit.settled(
      evaluation.actions.filter((a) => a.status === "requested").map((a) => a.key),
    );
    return { evaluation, rows };
  }

  beforeAll(async () => {
    now = runtime().clock.now();
    await storeOfflineSession(kit.shop);
    await kit.connect();
    // Always ask Shopify for stock: each test sets what the store has.
    await kit.guards({ inventoryMaxAgeMinutes: 0 });
    await kit.enable(RECIPE_ID, { abandonAfterHours: 4, whiteGloveFrom: WHITE_GLOVE_FROM });
    carts = cartsOf(WHITE_GLOVE_FROM, 3);
  });

  it("stores the checkout and checks 4 hours after the buyer's last change; then sends “Checkout Abandoned” with the cart and the recovery link", async () => {
    const cart = carts.repeat[0];
    inStock(cart);
    const { checkout, run } = await leave(cart);
    const due = after(now, 4 * HOUR_MS);
    expect(run).toMatchObject({ outcome: "scheduled", customerId: String(cart.customerId) });
    expect(run.subject).toBe(`Checkout ${checkout.checkoutId}`);
    const [stored] = await kit
      .db()
      .select()
      .from(checkouts)
      .where(and(eq(checkouts.shop, kit.shop), eq(checkouts.token, checkout.token)));
    expect(stored).toMatchObject({
      id: checkout.checkoutId,
      customerId: String(cart.customerId),
      email: cart.email,
      currency: "USD",
      orderId: null,
      completedAt: null,
      abandonedCheckoutUrl: checkout.checkoutsCreate.abandoned_checkout_url,
    });
    expect(stored!.lastActivityAt.toISOString()).toBe(now.toISOString());
    expect(stored!.lineItems.map((l) => l.variantId)).toEqual(
      cart.lineItems.map((l) => String(l.variantId)),
    );
    const pending = await kit.pendingFollowUps(RECIPE_ID, checkout.subject);
    expect(pending.map((p) => p.startAfter.toISOString())).toEqual([due.toISOString()]);

    const { evaluation, rows } = await fire(checkout.subject);
    expect(evaluation.outcome).toBe("acted");
    expect(rows.map((r) => [r.operation, r.status])).toEqual([["klaviyo-event", "succeeded"]]);
    const [event] = fakes().klaviyo.state.events.filter(
      (e) => e.properties.CheckoutId === checkout.checkoutId,
    );
    expect(event).toMatchObject({
      metricName: "Checkout Abandoned",
      properties: expect.objectContaining({
        CheckoutUrl: checkout.checkoutsCreate.abandoned_checkout_url,
        ItemsLeftOut: 0,
        Alternatives: [],
      }),
    });
    expect((event!.properties.Items as { VariantId: string }[]).map((i) => i.VariantId)).toEqual(
      cart.lineItems.map((l) => String(l.variantId)),
    );
    // Fired again (a retried job): one event, nothing new.
    const again = await kit.runAt(
      {
        type: "follow-up",
        name: "abandoned-check",
        subject: checkout.subject,
        data: { token: checkout.token },
        dueAt: due,
        attempt: 1,
      },
      due,
      RECIPE_ID,
    );
    expect(again.evaluations[0]!.reasons[0]).toMatch(/^already followed up on /);
    expect(
      fakes().klaviyo.state.events.filter((e) => e.properties.CheckoutId === checkout.checkoutId),
    ).toHaveLength(1);
  });

  it("carries only the items still in stock, leaves out what low-stock pause took out of promotion, and suggests another variant that is in stock", async () => {
    const store = sandbox();
    const order = carts.mixed;
    const variants = (l: SandboxOrder["lineItems"][number]) =>
      store.products.find((p) => p.id === l.productId)!.variantIds.length;
    // The line whose product has other variants sells out; the next is paused; the rest are in stock.
    const [soldOut, paused, ...rest] = [...order.lineItems].sort(
      (a, b) => variants(b) - variants(a),
    );
    stock(soldOut!.variantId, 0);
    stock(paused!.variantId, 2);
    rest.forEach((l) => stock(l.variantId, 20));
    await kit
      .db()
      .insert(recipeState)
      .values({
        shop: kit.shop,
        recipeId: "low-stock-promo-pause",
        subject: `variant:${paused!.variantId}`,
        value: { paused: true, since: now.toISOString(), available: 2 },
      });
    // Switchboard learnt the sold-out product's other variant from Shopify; it is in stock.
    const product = store.products.find((p) => p.id === soldOut!.productId)!;
    const siblingId = [...product.variantIds]
      .sort((a, b) => a - b)
      .find((id) => id !== soldOut!.variantId);
    const sibling = store.variants.find((v) => v.id === siblingId)!;
    stock(sibling.id, 12);
    await linkVariantToInventoryItem(kit.db(), kit.shop, {
      id: String(sibling.id),
      productId: String(product.id),
      inventoryItemId: String(sibling.inventoryItemId),
      sku: sibling.sku,
      title: product.title,
      price: sibling.price,
    });

    const { checkout } = await leave(order);
    const { evaluation } = await fire(checkout.subject);
    expect(evaluation.outcome).toBe("acted");
    const [event] = fakes().klaviyo.state.events.filter(
      (e) => e.properties.CheckoutId === checkout.checkoutId,
    );
    expect((event!.properties.Items as { VariantId: string }[]).map((i) => i.VariantId)).toEqual(
      order.lineItems.filter((l) => rest.includes(l)).map((l) => String(l.variantId)),
    );
    expect(event!.properties.ItemsLeftOut).toBe(2);
    // The sold-out line gets its in-stock sibling (the paused one may get one of its own);
    // nothing already in the cart is suggested again.
    const alternatives = event!.properties.Alternatives as { VariantId: string }[];
    expect(alternatives).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ VariantId: String(sibling.id), Title: product.title }),
      ]),
    );
    const inCart = new Set(order.lineItems.map((l) => String(l.variantId)));
    for (const alternative of alternatives) expect(inCart.has(alternative.VariantId)).toBe(false);
    const reasons = evaluation.reasons.join(" | ");
    expect(reasons).toContain("sold out");
    expect(reasons).toContain("paused: running low");
  });

  it("leaves a note on the customer's open Gorgias ticket instead of marketing them", async () => {
    const cart = carts.small[0]!;
    inStock(cart);
    const ticket = fakes().gorgias.openTicket({
      customer: { email: cart.email },
      subject: "Where is my discount code?",
    });
    await recordTicketState(kit.db(), kit.shop, {
      ticketId: ticket.id,
      email: cart.email,
      status: "open",
      updatedAt: now,
    });
    const klaviyoBefore = fakes().klaviyo.state.events.length;
    const { checkout } = await leave(cart);
    const { evaluation, rows } = await fire(checkout.subject);
    expect(evaluation.outcome).toBe("acted");
    expect(evaluation.actions.map((a) => [a.action.kind, a.action.channel])).toEqual([
      ["gorgias-note", "service"],
    ]);
    expect(rows.map((r) => [r.operation, r.status])).toEqual([["gorgias-note", "succeeded"]]);
    const notes = fakes()
      .gorgias.state.tickets.find((t) => t.id === ticket.id)!
      .messages.filter((m) => m.channel === "internal-note");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body_text).toContain("Switchboard sent no marketing email");
    expect(notes[0]!.body_text).toContain(String(checkout.checkoutsCreate.abandoned_checkout_url));
    expect(fakes().klaviyo.state.events.length).toBe(klaviyoBefore);
  });

  it("sends a high-value cart to the team as a white-glove Gorgias ticket, with the amount in the store's currency", async () => {
    inStock(carts.big);
    const klaviyoBefore = fakes().klaviyo.state.events.length;
    const { checkout } = await leave(carts.big);
    const { evaluation, rows } = await fire(checkout.subject);
    expect(evaluation.actions.map((a) => [a.action.kind, a.action.channel])).toEqual([
      ["gorgias-ticket", "service"],
    ]);
    expect(rows.map((r) => [r.operation, r.status])).toEqual([["gorgias-ticket", "succeeded"]]);
    const ticket = fakes().gorgias.state.tickets.find((t) =>
      t.subject?.startsWith("White-glove: a $"),
    )!;
    expect(ticket.subject).toMatch(/^White-glove: a \$[\d,]+\.\d\d cart was left at checkout$/);
    expect(ticket.customer).toMatchObject({ email: carts.big.email });
    expect(ticket.tags.map((t) => t.name).sort()).toEqual(["abandoned-checkout", "switchboard"]);
    expect(fakes().klaviyo.state.events.length).toBe(klaviyoBefore);
  });

  it("an order from the checkout marks it recovered: nothing is sent, and the recovery counts it", async () => {
    const cart = carts.small[1]!;
    inStock(cart);
    const { checkout } = await leave(cart);
    const placedAt = after(now, 2 * HOUR_MS);
    const recovered = checkout.recovered(placedAt);
    await kit.send("orders/create", recovered.ordersCreate);
    const completed = await kit.send("checkouts/update", recovered.checkoutsUpdate);
    expect((await kit.runFor(RECIPE_ID, completed.id)).reasons).toEqual([
      "the checkout was completed: nothing to recover",
    ]);
    const [stored] = await kit
      .db()
      .select()
      .from(checkouts)
      .where(and(eq(checkouts.shop, kit.shop), eq(checkouts.token, checkout.token)));
    expect(stored).toMatchObject({ orderId: String(cart.id) });
    expect(stored!.orderedAt!.toISOString()).toBe(placedAt.toISOString());
    // Completing it is not the buyer hesitating: abandonment still counts from their last change.
    expect(stored!.lastActivityAt.toISOString()).toBe(now.toISOString());

    const before = fakes().klaviyo.state.events.length;
    const { evaluation } = await fire(checkout.subject);
    expect(evaluation.outcome).toBe("skipped");
    expect(evaluation.reasons[0]).toBe(`recovered: the customer placed order ${cart.name} from it`);
    expect(fakes().klaviyo.state.events.length).toBe(before);

    // A checkout left, reached by the first test's email, then ordered a day later: recovered after outreach.
    const first = leftCheckout(carts.repeat[0], now);
    await kit.send("orders/create", first.recovered(after(now, DAY_MS)).ordersCreate);
    expect(
      await checkoutRecovery(runtime().database.executeSql, kit.shop, {
        since: after(now, -DAY_MS),
        now: after(now, 2 * DAY_MS),
        abandonAfterHours: 4,
      }),
    ).toMatchObject({ recovered: 1, recoveredAfterOutreach: 1 });
  });

  it("the buyer coming back puts the check off: it counts 4 hours from their newest change", async () => {
    const cart = carts.small[2]!;
    inStock(cart);
    const { checkout } = await leave(cart);
    const back = after(now, 3 * HOUR_MS);
    await kit.runFor(
      RECIPE_ID,
      (await kit.send("checkouts/update", checkout.checkoutsUpdate(back))).id,
    );
    const { evaluation } = await fire(checkout.subject);
    expect(evaluation.outcome).toBe("scheduled");
    const later = after(back, 4 * HOUR_MS);
    // In the shop's time, as the merchant reads it ("Dec 7, 2026, 2:05 PM"), not an ISO instant.
    expect(evaluation.reasons[0]).toMatch(
      /^the customer changed the checkout since; checks again on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$/,
    );
    const [pending] = await kit.pendingFollowUps(RECIPE_ID, checkout.subject);
    expect(pending).toMatchObject({ payload: { attempt: 2 } });
    expect(pending!.startAfter.toISOString()).toBe(later.toISOString());
    expect((await fire(checkout.subject)).evaluation.outcome).toBe("acted");
  });

  it("is capped with the other recipes: a second marketing message within 24 hours waits a day, then goes", async () => {
    // This customer got “Checkout Abandoned” in the first test; here is another cart of theirs.
    const other = carts.repeat[1];
    inStock(other);
    const { checkout } = await leave(other);
    const due = after(now, 4 * HOUR_MS);
    const { evaluation } = await fire(checkout.subject, due);
    expect(evaluation.outcome).toBe("scheduled");
    expect(evaluation.reasons[0]).toMatch(
      /^held back: frequency cap: 1 marketing message per 24 h already reached for this customer; checks again on /,
    );
    const held = await fire(checkout.subject, after(due, DAY_MS + 60_000));
    expect(held.evaluation.outcome).toBe("acted");
  });
});
