import { realFetch } from "../helpers/real-fetch";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import {
  checkouts,
  customers,
  deliveries,
  fulfillmentEvents,
  fulfillments,
  gorgiasTickets,
  inventoryLevels,
  orders,
  recipeRuns,
  variants,
} from "../../db/schema/index";
import { klaviyoEvent, profileOf } from "../../app/recipes/actions";
import { dryRunRecipe, type DryRunResult } from "../../app/recipes/dry-run.server";
import { defineRecipe, type AnyRecipe } from "../../app/recipes/engine/define-recipe";
import { engineServices } from "../../app/recipes/host.server";
import { findRecipe, RECIPES } from "../../app/recipes/registry";
import { FRENCH_ACTS_FOR } from "../../app/recipes/dry-run-copy";
import { describeWithRuntime } from "../helpers/runtime";
import { SHOP_A, withVendorFakes } from "../helpers/vendors";
import { z } from "zod";

void realFetch;
const fakes = withVendorFakes();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A scan the way a daily recipe is declared: customers lapsed 60 days get a win-back event. */
const lapsedScan = defineRecipe({
  id: "test-lapsed-scan",
  title: "Lapsed scan",
  summary: "test",
  fr: { title: "Analyse des clients inactifs", summary: "test" },
  requires: ["klaviyo"],
  triggers: [{ type: "daily", actsFor: "who have not ordered in 60 days" }],
  configSchema: z.object({}),
  describe: () => "test",
  async run(event, ctx) {
    if (event.type !== "daily") return null;
    const lapsed = await ctx.lapsedCustomers(new Date(ctx.now.getTime() - 60 * DAY));
    return lapsed.map((c) => ({
      subject: { label: `Customer ${c.id}`, customerId: c.id },
      key: `customer/${c.id}`,
      actions: [
        klaviyoEvent(
          {
            source: `lapsed/${c.id}/${event.date}`,
            channel: "marketing",
            customer: { id: c.id, email: c.email },
            summary: "Klaviyo “Win Back”",
          },
          { metric: "Win Back", profile: profileOf(c), properties: {} },
        ),
      ],
    }));
  },
});

describeWithRuntime(
  "dry run replays each recipe's own triggers",
  ({ runtime }) => {
    let now: Date;
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const lena = { id: "7100000000000000001", email: "lena.park@example.com" };
    const omar = { id: "7100000000000000002", email: "omar.haddad@example.com" };
    const ines = { id: "7100000000000000003", email: "ines.roy@example.com" };

    const dryRun = async (
      recipe: AnyRecipe,
      config: Record<string, unknown> = {},
      locale: "en" | "fr" = "en",
    ) => {
      const database = runtime().database;
      const result = await dryRunRecipe(
        database,
        SHOP_A,
        recipe,
        recipe.configSchema.parse(config) as Record<string, unknown>,
        engineServices(database, runtime().queue),
        { now, limit: 25, locale },
      );
      // A dry run sends nothing and records nothing.
      expect(fakes().klaviyo.received).toEqual([]);
      expect(fakes().gorgias.received).toEqual([]);
      const db = database.db;
      expect(await db.select().from(recipeRuns).where(eq(recipeRuns.shop, SHOP_A))).toEqual([]);
      expect(await db.select().from(deliveries).where(eq(deliveries.shop, SHOP_A))).toEqual([]);
      return result;
    };
    const trigger = (result: DryRunResult, source: string) =>
      result.triggers.find((t) => t.source === source)!;

    beforeAll(async () => {
      now = runtime().clock.now();
      const db = runtime().database.db;
      const person = (c: typeof lena, first: string, last: string, lastOrderAt: Date) => ({
        shop: SHOP_A,
        id: c.id,
        email: c.email,
        firstName: first,
        lastName: last,
        orderCount: 1,
        lifetimeSpend: "250.00",
        firstOrderAt: lastOrderAt,
        lastOrderAt,
      });
      await db
        .insert(customers)
        .values([
          person(lena, "Lena", "Park", ago(3 * DAY)),
          person(omar, "Omar", "Haddad", ago(4 * DAY)),
          person(ines, "Ines", "Roy", ago(90 * DAY)),
        ]);
      const order = (id: string, name: string, c: typeof lena, total: string, at: Date) => ({
        shop: SHOP_A,
        id,
        name,
        email: c.email,
        customerId: c.id,
        currency: "EUR",
        totalPrice: total,
        currentTotalPrice: total,
        financialStatus: "paid",
        fulfillmentStatus: null,
        processedAt: at,
        createdAt: at,
        sourceUpdatedAt: at,
      });
      await db
        .insert(orders)
        .values([
          order("5900000000000001042", "#1042", lena, "640.00", ago(3 * DAY)),
          order("5900000000000001043", "#1043", omar, "35.00", ago(4 * DAY)),
        ]);
      const parcel = (id: string, orderId: string, status: string) => ({
        shop: SHOP_A,
        id,
        orderId,
        status: "success",
        shipmentStatus: status,
        trackingCompany: "DHL",
        trackingNumbers: ["JD0001"],
        lastEventAt: ago(DAY),
        createdAt: ago(2 * DAY),
        sourceUpdatedAt: ago(DAY),
      });
      await db
        .insert(fulfillments)
        .values([
          parcel("4400000000000000001", "5900000000000001042", "delayed"),
          parcel("4400000000000000002", "5900000000000001043", "delayed"),
        ]);
      const scan = (
        id: string,
        fulfillmentId: string,
        orderId: string,
        status: string,
        at: Date,
      ) => ({
        shop: SHOP_A,
        id,
        fulfillmentId,
        orderId,
        status,
        happenedAt: at,
      });
      await db
        .insert(fulfillmentEvents)
        .values([
          scan(
            "3300000000000000001",
            "4400000000000000002",
            "5900000000000001043",
            "in_transit",
            ago(2 * DAY),
          ),
          scan(
            "3300000000000000002",
            "4400000000000000002",
            "5900000000000001043",
            "delayed",
            ago(30 * HOUR),
          ),
          scan(
            "3300000000000000003",
            "4400000000000000001",
            "5900000000000001042",
            "delayed",
            ago(DAY),
          ),
        ]);
      await db.insert(gorgiasTickets).values({
        shop: SHOP_A,
        ticketId: 500006,
        customerEmail: lena.email,
        status: "open",
        sourceUpdatedAt: ago(2 * HOUR),
      });
      await db.insert(variants).values({
        shop: SHOP_A,
        id: "4500000000000000001",
        productId: "4600000000000000001",
        inventoryItemId: "4700000000000000001",
        sku: "MUG-BLUE",
        title: "Blue mug",
        price: "24.00",
      });
      await db.insert(inventoryLevels).values({
        shop: SHOP_A,
        inventoryItemId: "4700000000000000001",
        locationId: "4800000000000000001",
        available: 2,
        sourceUpdatedAt: ago(HOUR),
        refreshedAt: now,
      });
      const cart = (token: string, id: string, c: typeof lena) => ({
        shop: SHOP_A,
        token,
        id,
        customerId: c.id,
        email: c.email,
        lineItems: [
          {
            variantId: "4500000000000000001",
            productId: "4600000000000000001",
            sku: "MUG-BLUE",
            title: "Blue mug",
            variantTitle: null,
            quantity: 1,
            price: "24.00",
          },
        ],
        subtotalPrice: "24.00",
        currency: "EUR",
        createdAt: ago(10 * HOUR),
        lastActivityAt: ago(10 * HOUR),
        sourceUpdatedAt: ago(10 * HOUR),
      });
      await db
        .insert(checkouts)
        .values([
          cart("tok-omar", "3900000000000000001", omar),
          cart("tok-lena", "3900000000000000002", lena),
        ]);
    });

    it("shipping-delay outreach: the late parcel scans would write to their customers", async () => {
      const result = await dryRun(findRecipe("shipping-delay-outreach")!);
      const scans = trigger(result, "parcel-scans");
      expect(scans.replayed).toBe("Replayed all 3 parcel scans.");
      expect(scans.wouldAct).toBe(2);
      expect(scans.sentences).toContain(
        "Would have written to 2 customers whose parcels were late, e.g. Lena Park about #1042.",
      );
      expect(scans.sentences).toContain(
        "1 run would have done nothing: the carrier status “in transit” is not one you reach out on (1).",
      );
      // The paid orders had shipped by the time the not-shipped check came due.
      const paid = trigger(result, "orders");
      expect(paid.wouldAct).toBe(0);
      expect(paid.sentences).toEqual([
        "2 runs would have done nothing: the order has shipped (2).",
      ]);
      const lenaRow = result.rows.find((r) => r.orderName === "#1042")!;
      expect(lenaRow).toMatchObject({ customer: "Lena Park", outcome: "acted" });
      expect(lenaRow.actions.map((a) => [a.kind, a.status])).toEqual([
        ["klaviyo-event", "would-request"],
        // Lena has an open ticket: it is tagged rather than a second one opened.
        ["gorgias-tag", "would-request"],
      ]);
      // The rows read as Activity does, by name: no order, customer or checkout id.
      expect(lenaRow.lines).toEqual([
        "Would send Lena Park a shipping-delay update for #1042",
        expect.stringMatching(/^Would tag Lena Park's open Gorgias ticket “.+”$/),
      ]);
      expect(lenaRow.event).toBe("parcel scan");
    });

    it("replays what the store stamped later than our clock (a store clock running ahead), at our now", async () => {
      const database = runtime().database;
      const recipe = findRecipe("shipping-delay-outreach")!;
      // Our clock 36 hours behind the store's: two of the three scans are "in the future".
      const behind = new Date(now.getTime() - 36 * HOUR);
      const result = await dryRunRecipe(
        database,
        SHOP_A,
        recipe,
        recipe.configSchema.parse({}) as Record<string, unknown>,
        engineServices(database, runtime().queue),
        { now: behind, limit: 25, locale: "en" },
      );
      expect(trigger(result, "parcel-scans").replayed).toBe("Replayed all 3 parcel scans.");
      expect(result.rows.every((row) => Date.parse(row.at) <= behind.getTime())).toBe(true);
    });

    it("open-ticket suppression: the opened ticket would mark its customer so flows hold back", async () => {
      const result = await dryRun(findRecipe("open-ticket-suppression")!);
      const opened = trigger(result, "tickets-opened");
      expect(opened.replayed).toBe("Replayed the 1 ticket opened.");
      expect(opened.wouldAct).toBe(1);
      expect(opened.sentences).toEqual([
        "Would have updated 1 customer in Klaviyo whose support ticket opened, so your flows hold back, e.g. Lena Park.",
      ]);
      expect(trigger(result, "tickets-closed").replayed).toBe("No tickets closed yet.");
    });

    it("reads in French for a French admin, names kept and the recipe's reasons in French", async () => {
      const scans = trigger(
        await dryRun(findRecipe("shipping-delay-outreach")!, {}, "fr"),
        "parcel-scans",
      );
      expect(scans.replayed).toBe("Rejoué : les 3 scans de colis.");
      expect(scans.sentences).toContain(
        "Aurait écrit à 2 clients dont le colis était en retard, par exemple Lena Park au sujet de #1042.",
      );
      expect(scans.sentences).toContain(
        "1 exécution n’aurait rien fait : le statut du transporteur « en transit » ne fait pas partie de ceux où vous contactez le client (1).",
      );
      const tickets = await dryRun(findRecipe("open-ticket-suppression")!, {}, "fr");
      expect(trigger(tickets, "tickets-opened")).toMatchObject({
        replayed: "Rejoué : 1 ticket ouvert.",
        sentences: [
          "Aurait mis à jour 1 client dans Klaviyo dont un ticket d’assistance a été ouvert, pour que vos flows attendent, par exemple Lena Park.",
        ],
      });
      expect(trigger(tickets, "tickets-closed").replayed).toBe(
        "Aucun ticket fermé pour l’instant.",
      );
      const stock = trigger(
        await dryRun(findRecipe("low-stock-promo-pause")!, { threshold: 5 }, "fr"),
        "stock-changes",
      );
      expect(stock.sentences).toEqual([
        "Aurait agi sur 1 article dont le stock a baissé ou est revenu, par exemple SKU MUG-BLUE.",
      ]);
    });

    it("has French for whom every recipe acts for", () => {
      for (const recipe of RECIPES)
        for (const t of recipe.triggers) {
          const words = t.type === "ticket" ? [t.actsFor?.opened, t.actsFor?.closed] : [t.actsFor];
          for (const english of words)
            if (english) expect(FRENCH_ACTS_FOR[english], `${recipe.id}: ${english}`).toBeTruthy();
        }
    });

    it("low-stock promo pause: the stock drop would take the item out of offers", async () => {
      const result = await dryRun(findRecipe("low-stock-promo-pause")!, { threshold: 5 });
      const stock = trigger(result, "stock-changes");
      expect(stock.wouldAct).toBe(1);
      expect(stock.sentences).toEqual([
        "Would have acted on 1 item whose stock ran low or came back, e.g. SKU MUG-BLUE.",
      ]);
      expect(result.rows[0]!.reasons[0]).toBe(
        "2 in stock, below 5: taken out of post-purchase offers",
      );
      // Above the stock: nothing to do, and the sentence says why.
      const calm = trigger(
        await dryRun(findRecipe("low-stock-promo-pause")!, { threshold: 1 }),
        "stock-changes",
      );
      expect(calm.wouldAct).toBe(0);
      expect(calm.sentences).toEqual([
        "1 run would have done nothing: 2 in stock (threshold 1) (1).",
      ]);
    });

    it("abandoned checkout recovery: writes to one customer, holds back the one with an open ticket", async () => {
      const result = await dryRun(findRecipe("abandoned-checkout-recovery")!, {
        noteOnOpenTicket: false,
        abandonAfterHours: 4,
      });
      const carts = trigger(result, "checkouts");
      expect(carts.replayed).toBe("Replayed all 2 checkouts.");
      expect(carts.wouldAct).toBe(1);
      expect(carts.heldBack).toBe(1);
      expect(carts.sentences).toEqual([
        "Would have written to 1 customer who left a checkout without ordering, e.g. Omar Haddad.",
        "Would have held back 1 message: the customer has an open Gorgias ticket.",
      ]);
      // The rows name the customer, never the checkout's id (the recipe's summary has it).
      expect(result.rows.map((r) => [r.customer, r.lines, r.reasons])).toEqual([
        [
          "Omar Haddad",
          ["Would send Omar Haddad an abandoned-checkout reminder"],
          ["cart of €24.00"],
        ],
        [
          "Lena Park",
          [],
          [
            expect.stringMatching(
              /^held back: the customer has an open Gorgias ticket; checks again on \w{3} \d{1,2}, \d{4}$/,
            ),
            "cart of €24.00",
          ],
        ],
      ]);
      expect(JSON.stringify(result.rows.map((r) => [r.lines, r.reasons]))).not.toMatch(/\d{10,}/);
    });

    it("a daily scan: today's scan would write to the lapsed customer", async () => {
      const result = await dryRun(lapsedScan);
      const scan = trigger(result, "daily-scan");
      expect(scan.replayed).toBe("Replayed today's daily scan.");
      expect(scan.wouldAct).toBe(1);
      expect(scan.sentences).toEqual([
        "Would have written to 1 customer who have not ordered in 60 days, e.g. Ines Roy.",
      ]);
      expect(result.scan.map((r) => [r.orderName, r.outcome])).toEqual([["Ines Roy", "acted"]]);
    });

    it("an order recipe: the big order would be tagged, the small one left alone", async () => {
      const result = await dryRun(findRecipe("high-value-white-glove")!, {
        threshold: 500,
        openTicket: false,
      });
      const placed = trigger(result, "orders");
      expect(placed.replayed).toBe("Replayed all 2 orders.");
      expect(placed.wouldAct).toBe(1);
      expect(placed.sentences[0]).toBe(
        "Would have acted for 1 customer after their order, e.g. Lena Park about #1042.",
      );
      expect(placed.sentences[1]).toMatch(/^1 run would have done nothing: .*35\.00.* is below/);
      expect(result.rows.map((r) => r.orderName)).toEqual(["#1042"]);
      expect(result.rows[0]!.lines).toEqual(["Would tag #1042 “white-glove” in Shopify"]);
      expect(result.orders).toBe(2);
    });
  },
  { workers: false },
);
