import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  customers,
  fulfillments,
  orders,
  shopDailyBuyers,
  shopDailyDirty,
  shopDailyFacts,
  shopDailyShipTimes,
  shopDailyVariantUnits,
  shops,
} from "../../db/schema/index";
import {
  dailyFigures,
  directFigures,
  refreshDailyFacts,
  type Span,
} from "../../app/models/gap-report/daily-facts.server";
import { computeGapReport } from "../../app/models/gap-report/gap-report.server";
import type { GapReport } from "../../app/models/gap-report/types";
import { redactShop } from "../../app/models/privacy.server";
import { addDays, shopTime } from "../../app/utils/shop-time";
import { describeEachDatabase } from "../helpers/database";
import { gapStore, id } from "../helpers/gap-report";
import { DAY_MS, HOUR_MS } from "../helpers/time";

const SHOP = "facts-a.myshopify.com";
const OTHER = "facts-b.myshopify.com";
const KIWI = "facts-nz.myshopify.com";
const ZONE = "America/Los_Angeles";

const outstandingOf = (report: GapReport) =>
  report.zones
    .find((z) => z.zone === "order-to-cash")!
    .measures.find((m) => m.id === "payments-outstanding")!;

describeEachDatabase("gap report daily facts", ({ use: testDatabase }) => {
  const now = new Date();
  const db = () => testDatabase().database.db;
  const time = shopTime({ timeZone: ZONE });

  /** The window and the trend's twelve weeks, as the report asks for them. */
  function reportSpans(): Span[] {
    const today = time.localDate(now);
    const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    const weeks = Array.from({ length: 12 }, (_, back) => {
      const start = addDays(monday, -7 * (11 - back));
      const end = time.startOfDay(addDays(start, 7));
      return { from: time.startOfDay(start), to: end < now ? end : now };
    });
    return [{ from: new Date(now.getTime() - 90 * DAY_MS), to: now }, ...weeks];
  }

  /** Shop SHOP's orders from a customer account, as seeded: the repeat rate's expectation. */
  const buyers: { customer: number; at: Date }[] = [];

  /** Customers with an order in the span, and those who ordered before their last one there. */
  function expectedBuyers(span: Span) {
    const inSpan = buyers.filter((b) => b.at >= span.from && b.at < span.to);
    const customers = [...new Set(inSpan.map((b) => b.customer))];
    const returning = customers.filter((c) => {
      const last = Math.max(...inSpan.filter((b) => b.customer === c).map((b) => b.at.getTime()));
      return buyers.some((b) => b.customer === c && b.at.getTime() < last);
    });
    return { customers: customers.length, returning: returning.length };
  }

  /** Shop SHOP's delivered parcels and review requests: the review asks' expectation. */
  const delivered: { order: number; at: Date }[] = [];
  const asks: { order: number; at: Date }[] = [];

  /** Parcels delivered in the span whose order got its first review request before the span's end. */
  const expectedAsked = (span: Span) =>
    delivered.filter(
      (d) =>
        d.at >= span.from &&
        d.at < span.to &&
        asks.some((a) => a.order === d.order && a.at < span.to),
    ).length;

  async function requestReview(order: number, at: Date) {
    await gapStore(db(), SHOP, now).run("review-request-timing", { order, at });
    asks.push({ order, at });
  }

  async function seedStore(shop: string, offset: number) {
    const store = gapStore(db(), shop, now);
    await store.shop({ timeZone: ZONE });
    for (let n = 0; n < 60; n++) {
      const createdAt = store.hours(n * 37 + 3);
      const customer = n % 5 === 4 ? null : offset + (n % 17);
      if (customer !== null && shop === SHOP) buyers.push({ customer, at: createdAt });
      await store.order(offset + n, {
        createdAt,
        customer,
        total: `${100 + n + offset}.25`,
        financialStatus: n % 7 === 0 ? "pending" : "paid",
      });
      if (n % 3 !== 0) {
        const shipped = new Date(createdAt.getTime() + (n % 5) * 11 * HOUR_MS + 30 * 60_000);
        const deliveredAt =
          n % 5 === 0 ? undefined : new Date(shipped.getTime() + (n % 6) * 1.5 * DAY_MS);
        await store.fulfillment(offset + n, {
          order: offset + n,
          createdAt: shipped,
          shipmentStatus: n % 11 === 0 ? "delayed" : undefined,
          estimatedDeliveryAt: new Date(shipped.getTime() + (n % 4) * 2 * DAY_MS),
          deliveredAt,
        });
        if (shop === SHOP && deliveredAt) {
          delivered.push({ order: n, at: deliveredAt });
          // Most delivered parcels get a review request within a few days (some over a week end).
          const askedAt = new Date(deliveredAt.getTime() + (n % 4) * 40 * HOUR_MS);
          if (n % 7 !== 3 && askedAt < now) await requestReview(n, askedAt);
        }
      }
    }
  }

  beforeAll(async () => {
    await seedStore(SHOP, 0);
    await seedStore(OTHER, 1000);
  });

  it("the window and every trend week summed from the daily facts equal the figures read from the orders and parcels", async () => {
    const spans = reportSpans();
    const fromFacts = await dailyFigures(db(), SHOP, time, spans);
    expect(fromFacts).toEqual(await directFigures(db(), SHOP, spans));
    expect(fromFacts[0]!.orders).toBe(59);
    expect(fromFacts.map(({ customers, returning }) => ({ customers, returning }))).toEqual(
      spans.map(expectedBuyers),
    );
    expect(fromFacts[0]!.returning).toBeGreaterThan(0);
    expect(fromFacts.map((f) => f.reviewAsked)).toEqual(spans.map(expectedAsked));
    expect(fromFacts[0]!.reviewAsked).toBeGreaterThan(0);
    // Computed once: a second report computes no day again.
    const again = await refreshDailyFacts(db(), SHOP, time, [addDays(time.localDate(now), -5)]);
    expect(again.computedDays).toEqual([]);
  });

  it("an order changed weeks later, and a parcel for an old order, are reflected in the next report", async () => {
    const spans = reportSpans();
    const before = await computeGapReport(db(), SHOP, { windowDays: 90, now });
    expect(outstandingOf(before).context).toBe("9 orders of 59 orders, $1,154.25");
    const deliveredBefore = (await dailyFigures(db(), SHOP, time, spans))[0]!.delivered;

    // A late webhook: order 22 (placed ~34 days ago, paid) is now waiting for its payment.
    await db()
      .update(orders)
      .set({ financialStatus: "pending", totalPrice: "500.00" })
      .where(and(eq(orders.shop, SHOP), eq(orders.id, id(22))));
    // And order 24, placed ~37 days ago and never shipped, ships today.
    const store = gapStore(db(), SHOP, now);
    await store.fulfillment(24, { order: 24, createdAt: store.hours(1) });
    // And order 25's parcel, on its way for five weeks, turns out to have been delivered 3 days ago.
    await db()
      .update(fulfillments)
      .set({ deliveredAt: store.days(3) })
      .where(and(eq(fulfillments.shop, SHOP), eq(fulfillments.id, id(25))));

    const day = time.localDate(store.hours(22 * 37 + 3));
    const refreshed = await refreshDailyFacts(db(), SHOP, time, [day]);
    expect(refreshed.computedDays).toContain(day);
    const after = await computeGapReport(db(), SHOP, { windowDays: 90, now });
    expect(outstandingOf(after).context).toBe("10 orders of 59 orders, $1,654.25");
    const ship = after.zones
      .find((z) => z.zone === "inventory-fulfillment")!
      .measures.find((m) => m.id === "ship-time-p90")!;
    expect(ship.context).toBe("of 40 shipped orders");
    const figures = await dailyFigures(db(), SHOP, time, spans);
    expect(figures[0]!.delivered).toBe(deliveredBefore + 1);
    expect(figures).toEqual(await directFigures(db(), SHOP, spans));
  });

  it("a customer's order imported late, before their others, makes their later orders repeat purchases", async () => {
    const spans = reportSpans();
    const store = gapStore(db(), SHOP, now);
    // Customer 16 ordered ~25, ~51 and ~77 days ago; an order of 80 days ago arrives late.
    const at = store.days(80);
    await store.order(500, { createdAt: at, customer: 16 });
    buyers.push({ customer: 16, at });
    const figures = await dailyFigures(db(), SHOP, time, spans);
    expect(figures.map(({ customers, returning }) => ({ customers, returning }))).toEqual(
      spans.map(expectedBuyers),
    );
    expect(figures).toEqual(await directFigures(db(), SHOP, spans));
  });

  it("review requests sent late for parcels delivered weeks ago count from when they were sent", async () => {
    const spans = reportSpans();
    const store = gapStore(db(), SHOP, now);
    const before = await dailyFigures(db(), SHOP, time, spans);
    // Order 38's parcel was delivered ~8 weeks ago and never asked; the request goes out today,
    // before now: it counts for the window but not for the week it was delivered in.
    // Order 17's (~3 weeks ago) goes out two days ago: the day it was delivered is computed again.
    expect(asks.some((a) => a.order === 38 || a.order === 17)).toBe(false);
    const startOfToday = time.startOfDay(time.localDate(now));
    await requestReview(38, new Date((startOfToday.getTime() + now.getTime()) / 2));
    await requestReview(17, store.days(2));
    const figures = await dailyFigures(db(), SHOP, time, spans);
    expect(figures.map((f) => f.reviewAsked)).toEqual(spans.map(expectedAsked));
    expect(figures[0]!.reviewAsked).toBe(before[0]!.reviewAsked + 2);
    expect(figures).toEqual(await directFigures(db(), SHOP, spans));
  });

  it("a ticket stops asking where the order is when its parcel turns out delivered, or its customer's email changes", async () => {
    const spans = reportSpans();
    const store = gapStore(db(), SHOP, now);
    // Customer 900's parcel left 19 days ago, not delivered, when they wrote 18 days ago.
    await store.customer(900, { email: "late@example.com" });
    await store.order(900, { createdAt: store.days(20), customer: 900 });
    await store.fulfillment(900, { order: 900, createdAt: store.days(19) });
    await store.ticket(900, { email: "late@example.com", updatedAt: store.days(18) });
    const asking = await dailyFigures(db(), SHOP, time, spans);
    expect(asking).toEqual(await directFigures(db(), SHOP, spans));

    // A late update: the parcel had been delivered before the ticket.
    await db()
      .update(fulfillments)
      .set({ deliveredAt: new Date(store.days(18).getTime() - HOUR_MS) })
      .where(and(eq(fulfillments.shop, SHOP), eq(fulfillments.id, id(900))));
    const delivered = await dailyFigures(db(), SHOP, time, spans);
    expect(delivered[0]!.wismoTickets).toBe(asking[0]!.wismoTickets - 1);
    expect(delivered).toEqual(await directFigures(db(), SHOP, spans));

    // Not delivered after all, but the customer's email changed: the ticket is nobody's now.
    await db()
      .update(fulfillments)
      .set({ deliveredAt: null })
      .where(and(eq(fulfillments.shop, SHOP), eq(fulfillments.id, id(900))));
    await db()
      .update(customers)
      .set({ email: "new@example.com" })
      .where(and(eq(customers.shop, SHOP), eq(customers.id, id(900))));
    const moved = await dailyFigures(db(), SHOP, time, spans);
    expect(moved[0]!.wismoTickets).toBe(asking[0]!.wismoTickets - 1);
    expect(moved[0]!.tickets).toBe(asking[0]!.tickets);
    expect(moved).toEqual(await directFigures(db(), SHOP, spans));
  });

  it("a late update to an old order recomputes its own day alone, not its customer's later orders' days", async () => {
    const spans = reportSpans();
    const store = gapStore(db(), SHOP, now);
    // Every day of the window is up to date first.
    const days = Array.from({ length: 85 }, (_, back) => addDays(time.localDate(now), -1 - back));
    await refreshDailyFacts(db(), SHOP, time, days);
    const before = await dailyFigures(db(), SHOP, time, spans);

    // Order 40 (~62 days ago, customer 6, who ordered again ~36 and ~9 days ago) is edited: its
    // total changes, not its customer or time.
    const placed = store.hours(40 * 37 + 3);
    await db()
      .update(orders)
      .set({ totalPrice: "1040.25" })
      .where(and(eq(orders.shop, SHOP), eq(orders.id, id(40))));
    const { computedDays } = await refreshDailyFacts(db(), SHOP, time, days);
    // The shop-local days its UTC day spans, and no other.
    const utcDay = placed.toISOString().slice(0, 10);
    const spanned = [
      time.localDate(new Date(`${utcDay}T00:00:00.000Z`)),
      time.localDate(new Date(`${utcDay}T23:59:59.999Z`)),
    ];
    expect(computedDays).toEqual([...new Set(spanned)]);
    expect(computedDays).not.toContain(time.localDate(store.hours(23 * 37 + 3)));
    expect(computedDays).not.toContain(time.localDate(store.hours(6 * 37 + 3)));

    const after = await dailyFigures(db(), SHOP, time, spans);
    expect(after[0]!.revenue).toBeCloseTo(before[0]!.revenue + 1040.25 - 140.25, 2);
    expect(after).toEqual(await directFigures(db(), SHOP, spans));
  });

  it("a change to one shop's orders leaves another shop's facts alone", async () => {
    // The other shop cancels a waiting order of ~22 days ago.
    await dailyFigures(db(), OTHER, time, reportSpans());
    await db()
      .update(orders)
      .set({ cancelledAt: now })
      .where(and(eq(orders.shop, OTHER), eq(orders.id, id(1014))));
    const dirtyOf = (shop: string) =>
      db().select().from(shopDailyDirty).where(eq(shopDailyDirty.shop, shop));
    expect(await dirtyOf(SHOP)).toEqual([]);
    expect((await dirtyOf(OTHER)).length).toBe(1);
    const days = [time.localDate(gapStore(db(), OTHER, now).hours(14 * 37 + 3))];
    expect((await refreshDailyFacts(db(), SHOP, time, days)).computedDays).toEqual([]);
    expect((await refreshDailyFacts(db(), OTHER, time, days)).computedDays).toEqual(days);
    const [a] = await dailyFigures(db(), SHOP, time, reportSpans());
    const [b] = await dailyFigures(db(), OTHER, time, reportSpans());
    expect(a!.outstanding).toBe(10);
    expect(b!.outstanding).toBe(8);
  });

  it("a shop's redaction removes its daily facts with its orders", async () => {
    await dailyFigures(db(), OTHER, time, reportSpans());
    await redactShop(db(), OTHER);
    for (const table of [
      shopDailyFacts,
      shopDailyShipTimes,
      shopDailyBuyers,
      shopDailyVariantUnits,
      shopDailyDirty,
    ])
      expect(await db().select().from(table).where(eq(table.shop, OTHER))).toEqual([]);
    expect(
      (await db().select().from(shopDailyFacts).where(eq(shopDailyFacts.shop, SHOP))).length,
    ).toBeGreaterThan(0);
  });

  describe("shop-local days", () => {
    const auckland = shopTime({ timeZone: "Pacific/Auckland" });
    // Ten days ago in Auckland, 23:30 and the next day's 00:30: one UTC day, two local days.
    const day = addDays(auckland.localDate(now), -10);
    const lateEvening = new Date(auckland.startOfDay(addDays(day, 1)).getTime() - 30 * 60_000);
    const pastMidnight = new Date(auckland.startOfDay(addDays(day, 1)).getTime() + 30 * 60_000);

    beforeAll(async () => {
      const store = gapStore(db(), KIWI, now);
      await store.shop({ timeZone: "Pacific/Auckland" });
      await store.order(1, { createdAt: lateEvening, total: "10.00" });
      await store.order(2, { createdAt: pastMidnight, total: "20.00" });
    });

    const factsOf = async (d: string) =>
      (
        await db()
          .select({ orders: shopDailyFacts.orders, revenue: shopDailyFacts.revenue })
          .from(shopDailyFacts)
          .where(and(eq(shopDailyFacts.shop, KIWI), eq(shopDailyFacts.day, d)))
      )[0];

    it("an order is counted on the shop's own day, not UTC's", async () => {
      await refreshDailyFacts(db(), KIWI, auckland, [day, addDays(day, 1)]);
      expect(await factsOf(day)).toEqual({ orders: 1, revenue: "10.00" });
      expect(await factsOf(addDays(day, 1))).toEqual({ orders: 1, revenue: "20.00" });
    });

    it("after the shop changes its time zone, its days are computed again in the new zone", async () => {
      await db().update(shops).set({ ianaTimezone: "UTC" }).where(eq(shops.domain, KIWI));
      const utcDay = lateEvening.toISOString().slice(0, 10);
      const utc = shopTime({ timeZone: "UTC" });
      const { computedDays } = await refreshDailyFacts(db(), KIWI, utc, [utcDay]);
      expect(computedDays).toEqual([utcDay]);
      expect(await factsOf(utcDay)).toEqual({ orders: 2, revenue: "30.00" });
    });
  });
});
