import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { gapReports, shops } from "../../db/schema/index";
import type { Enqueuer, TaskContract } from "../../app/jobs/contracts";
import type { TaskHelpers } from "../../app/jobs/define-task";
import { computeGapReport as computeGapReportTaskRunner } from "../../app/jobs/tasks/compute-gap-report.server";
import { computeGapReport } from "../../app/models/gap-report/gap-report.server";
import {
  GAP_REPORT_LOCAL_HOUR,
  loadGapReportState,
} from "../../app/models/gap-report/gap-report-state.server";
import type { GapReport, Measure, ZoneId } from "../../app/models/gap-report/types";
import { redactShop } from "../../app/models/privacy.server";
import { addDays, shopTime } from "../../app/utils/shop-time";
import { describeEachDatabase } from "../helpers/database";
import { gapStore } from "../helpers/gap-report";
import { HOUR_MS, isoDate } from "../helpers/time";

const SHOP_A = "gap-a.myshopify.com";
const SHOP_B = "gap-b.myshopify.com";
const SHOP_GONE = "gap-gone.myshopify.com";
const SHOP_C = "gap-c.myshopify.com";

const measureOf = (report: GapReport, zone: ZoneId, measureId: string): Measure => {
  const found = report.zones.find((z) => z.zone === zone)!.measures.find((m) => m.id === measureId);
  if (!found) throw new Error(`no measure ${measureId} in ${zone}`);
  return found;
};
const scoreOf = (report: GapReport, zone: ZoneId) =>
  report.zones.find((z) => z.zone === zone)!.score;

function recordingQueue() {
  const jobs: { task: string; payload: Record<string, unknown>; startAfter?: Date }[] = [];
  const queue: Enqueuer = {
    async enqueue(task: TaskContract, payload: unknown, options?: { startAfter?: Date }) {
      jobs.push({
        task: task.name,
        payload: task.payloadSchema.parse(payload) as Record<string, unknown>,
        startAfter: options?.startAfter,
      });
      return String(jobs.length);
    },
    async enqueueMany(task: TaskContract, payloads: unknown[]) {
      return Promise.all(payloads.map((p) => queue.enqueue(task, p as never)));
    },
  };
  return { queue, jobs };
}

/** Monday of the week holding a YYYY-MM-DD date. */
const mondayOf = (date: string) =>
  addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

describeEachDatabase("automation-gap report", ({ use: testDatabase }) => {
  const now = new Date();
  const db = () => testDatabase().database.db;
  let report: GapReport;

  beforeAll(async () => {
    const a = gapStore(db(), SHOP_A, now);
    await a.shop();
    await a.connect("gorgias");
    await a.connect("klaviyo");
    // 20 orders of $100 over the last 20 days; customers 0–15 (0–3 also ordered 200 days ago), 4 guests.
    for (let n = 0; n < 20; n++) {
      const hasCustomer = n < 16;
      await a.order(n, {
        createdAt: a.days(n + 1),
        customer: hasCustomer ? n : null,
        email: hasCustomer ? `customer${n}@example.com` : null,
        financialStatus: n === 0 ? "pending" : n === 1 ? "authorized" : "paid",
        variant: n < 2 ? 1 : 3,
      });
      if (hasCustomer) await a.customer(n, { lastOrderAt: a.days(n + 1) });
    }
    for (let n = 20; n < 24; n++)
      await a.order(n, { createdAt: a.days(200), customer: n - 20, variant: 3 });
    // Variant 1 is oversold (orders 0 and 1 carry it), variant 3 the best-seller, in stock.
    await a.stock(1, -2);
    await a.stock(3, 5);
    // Orders 2–10 ship after 30 hours, order 11 after 200: p50 30 h, p90 47 h.
    for (let n = 2; n <= 11; n++) {
      const shippedAt = new Date(a.days(n + 1).getTime() + (n === 11 ? 200 : 30) * HOUR_MS);
      await a.fulfillment(200 + n, {
        order: n,
        createdAt: shippedAt,
        shipmentStatus: n === 3 ? "delayed" : undefined,
        estimatedDeliveryAt: n === 4 ? a.days(1) : undefined,
        deliveredAt: n >= 5 && n <= 9 ? new Date(shippedAt.getTime() + 48 * HOUR_MS) : undefined,
      });
      if (n === 3 || n === 4)
        await a.run("shipping-delay-outreach", {
          order: n,
          at: new Date(shippedAt.getTime() + 2 * HOUR_MS),
        });
    }
    await a.run("review-request-timing", { order: 5, at: a.days(1) });
    // Order 2's parcel is on its way when customer 2 writes: "where is my order".
    // First replies after 1, 3 and 10 hours; tickets 2 and 3 closed after 25 and 9 hours.
    await a.ticket(1, {
      email: "customer2@example.com",
      updatedAt: new Date(a.days(3).getTime() + 31 * HOUR_MS),
      createdAt: new Date(a.days(3).getTime() + 29 * HOUR_MS),
      firstResponseAt: new Date(a.days(3).getTime() + 30 * HOUR_MS),
    });
    await a.ticket(2, {
      email: "customer12@example.com",
      updatedAt: a.hours(5),
      createdAt: a.hours(30),
      firstResponseAt: a.hours(27),
      closedAt: a.hours(5),
    });
    await a.ticket(3, {
      email: "stranger@example.com",
      updatedAt: a.hours(3),
      createdAt: a.hours(12),
      firstResponseAt: a.hours(2),
      closedAt: a.hours(3),
    });
    // Refunds: money back after 2 and 4 days, one pending for 3 days; a restock moved no money;
    // one issued before the window.
    await a.refund(1, { order: 5, createdAt: a.days(10), processedAt: a.days(8) });
    await a.refund(2, { order: 6, createdAt: a.days(8), processedAt: a.days(4) });
    await a.refund(3, { order: 7, createdAt: a.days(3) });
    await a.refund(4, { order: 8, createdAt: a.days(2), moneyStatus: "none" });
    await a.refund(5, { order: 20, createdAt: a.days(150), processedAt: a.days(100) });
    // Four lapsed customers (last order 100 days ago), two on a win-back list.
    for (let n = 50; n < 54; n++) await a.customer(n, { lastOrderAt: a.days(100) });
    await a.listMember("Win-back 60 days", "customer50@example.com");
    await a.listMember("Win-back 90 days", "customer51@example.com");
    // Ten offers shown, one taken.
    for (let n = 0; n < 10; n++) await a.offer({ shownAt: a.days(n + 2), accepted: n === 0 });
    // Ten checkouts: one ordered within the hour (never abandoned), one recovered 10 h later, eight lost.
    for (let n = 1; n <= 10; n++) {
      const createdAt = a.days(n);
      await a.checkout(`c${n}`, {
        createdAt,
        ...(n === 1 ? { order: 0, orderedAt: new Date(createdAt.getTime() + HOUR_MS) } : {}),
        ...(n === 2 ? { order: 1, orderedAt: new Date(createdAt.getTime() + 10 * HOUR_MS) } : {}),
      });
    }

    // Shop B reuses the same ids: none of it may count for shop A.
    const b = gapStore(db(), SHOP_B, now);
    await b.shop();
    await b.connect("klaviyo");
    for (let n = 0; n < 30; n++) {
      await b.customer(n, { withheld: true, lastOrderAt: b.days(90) });
      await b.order(n, {
        createdAt: b.days(1),
        customer: n,
        total: "900.00",
        financialStatus: "pending",
        variant: 1,
      });
      await b.fulfillment(200 + n, { order: n, createdAt: b.hours(2), shipmentStatus: "failure" });
      await b.ticket(n + 1, {
        email: `customer${n}@example.com`,
        updatedAt: b.hours(1),
        createdAt: b.hours(300),
        firstResponseAt: b.hours(200),
        closedAt: b.hours(1),
      });
      await b.refund(n + 1, { order: n, createdAt: b.days(1), processedAt: b.hours(1) });
    }
    await b.stock(1, -50);
    for (let n = 1; n <= 5; n++) await b.checkout(`c${n}`, { createdAt: b.days(n) });

    report = await computeGapReport(db(), SHOP_A, { windowDays: 90, now });
  });

  it("grades order-to-cash on waiting payments and refund turnaround", () => {
    const outstanding = measureOf(report, "order-to-cash", "payments-outstanding");
    expect(outstanding).toMatchObject({ value: 10, display: "10 %", level: 0 });
    expect(outstanding.context).toBe("2 orders of 20 orders, $200.00");
    expect(outstanding.thresholds).toBe("Level 3 at 1 % or less · 2 at 3 % · 1 at 8 %");
    expect(measureOf(report, "order-to-cash", "payment-age")).toMatchObject({
      value: 1.5,
      display: "1.5 days",
      level: 2,
    });
    // Median of 2, 3 (still pending at the window's end) and 4 days; the restock and the refund
    // issued before the window do not count.
    expect(measureOf(report, "order-to-cash", "refund-turnaround")).toMatchObject({
      value: 3,
      display: "3 days",
      level: 2,
      context: "median of 3 refunds, 1 still waiting",
      thresholds: "Level 3 at 2 days or less · 2 at 5 days · 1 at 10 days",
      missing: null,
    });
    // (0 + 2 + 2) / 3
    expect(scoreOf(report, "order-to-cash")).toBe(1.3);
  });

  it("grades inventory and fulfillment on overselling, shipping speed, delays and stock-outs", () => {
    expect(measureOf(report, "inventory-fulfillment", "oversold-orders")).toMatchObject({
      value: 10,
      level: 0,
      context: "2 orders of 20 orders",
    });
    expect(measureOf(report, "inventory-fulfillment", "ship-time-p50")).toMatchObject({
      value: 30,
      display: "30 hours",
      level: 2,
    });
    const p90 = measureOf(report, "inventory-fulfillment", "ship-time-p90");
    expect(p90.value).toBeCloseTo(47, 6);
    expect(p90.level).toBe(3);
    expect(measureOf(report, "inventory-fulfillment", "parcels-delayed")).toMatchObject({
      value: 20,
      level: 0,
      context: "2 parcels of 10 parcels",
    });
    expect(measureOf(report, "inventory-fulfillment", "bestseller-stockouts")).toMatchObject({
      value: 50,
      level: 0,
    });
    expect(scoreOf(report, "inventory-fulfillment")).toBe(1);
  });

  it("grades customer service from the Gorgias tickets it holds", () => {
    expect(measureOf(report, "customer-service", "tickets-per-100-orders")).toMatchObject({
      value: 15,
      display: "15 per 100 orders",
      level: 0,
    });
    const wismo = measureOf(report, "customer-service", "wismo-share");
    expect(wismo.value).toBeCloseTo(100 / 3, 6);
    expect(wismo).toMatchObject({ display: "33.3 %", level: 1 });
    expect(measureOf(report, "customer-service", "delays-reached-first")).toMatchObject({
      value: 100,
      level: 3,
      context: "2 parcels of 2 delayed parcels",
    });
    // First replies after 1, 3 and 10 hours; resolutions after 9 and 25 hours.
    expect(measureOf(report, "customer-service", "first-response-time")).toMatchObject({
      value: 3,
      display: "3 hours",
      level: 2,
      context: "median of 3 tickets",
    });
    expect(measureOf(report, "customer-service", "resolution-time")).toMatchObject({
      value: 17,
      display: "17 hours",
      level: 2,
      context: "median of 2 tickets",
    });
    // (0 + 1 + 2 + 2 + 3) / 5
    expect(scoreOf(report, "customer-service")).toBe(1.6);
  });

  it("grades post-purchase and marketing", () => {
    expect(measureOf(report, "post-purchase-marketing", "repeat-purchase-rate")).toMatchObject({
      value: 25,
      level: 2,
      context: "4 customers of 16 customers",
    });
    expect(measureOf(report, "post-purchase-marketing", "lapsed-reached")).toMatchObject({
      value: 50,
      level: 2,
    });
    expect(measureOf(report, "post-purchase-marketing", "review-asks")).toMatchObject({
      value: 20,
      level: 1,
    });
    expect(measureOf(report, "post-purchase-marketing", "upsell-take-rate")).toMatchObject({
      value: 10,
      level: 3,
    });
    const recovery = measureOf(report, "post-purchase-marketing", "checkout-recovery");
    expect(recovery.value).toBeCloseTo(100 / 9, 6);
    expect(recovery.level).toBe(2);
    expect(recovery.context).toBe("1 checkout of 9 abandoned checkouts");
    expect(scoreOf(report, "post-purchase-marketing")).toBe(2);
  });

  it("bands the store by annualised revenue with the typical scores of that band", () => {
    expect(report.ordersInWindow).toBe(20);
    expect(report.currency).toBe("USD");
    expect(report.band).toMatchObject({
      id: "under-1m",
      label: "under $1M a year",
      annualGmvDisplay: "$8,111.11",
      basis: "$2,000.00 over 90 days × 365/90",
    });
    expect(report.zones.map((z) => z.typical)).toEqual([1, 0.8, 0.6, 0.7]);
  });

  it("ranks the punch list by money at stake, with its arithmetic and the recipe that closes each gap", () => {
    expect(report.punchList.map((p) => [p.id, p.atStakeDisplay])).toEqual([
      ["outstanding-payments", "$40.00"],
      ["abandoned-checkouts", "$15.56"],
      ["lapsed-customers", "$10.00"],
      ["review-asks", "$8.00"],
    ]);
    const [, checkoutsItem, lapsed] = report.punchList;
    expect(checkoutsItem!.arithmetic).toEqual([
      "Recovery gap: 15 % recovered at level 3 − 11.1 % yours = 3.9 %",
      "8 abandoned checkouts × $50.00 average checkout × 3.9 % = $15.56",
    ]);
    expect(checkoutsItem!.recipe).toEqual({
      id: "abandoned-checkout-recovery",
      name: expect.any(String),
      enabled: false,
    });
    expect(lapsed!.arithmetic).toEqual([
      "2 lapsed customers × $100.00 average order × 5 % win-back rate = $10.00",
    ]);
    expect(lapsed!.recipe?.id).toBe("win-back-segments");
    expect(report.punchList[0]!.recipe).toBeNull();
  });

  it("trends the zone scores per shop week, oldest first", () => {
    expect(report.trend).toHaveLength(12);
    const starts = report.trend.map((p) => p.weekStart);
    expect(starts.at(-1)).toBe(mondayOf(isoDate(now)));
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBe(addDays(starts[i - 1]!, 7));
    // Eleven weeks back there were no orders; the week of yesterday's order has a score.
    expect(report.trend[0]!.scores["order-to-cash"]).toBeNull();
    const lastOrderWeek = report.trend.find(
      (p) => p.weekStart === mondayOf(isoDate(new Date(now.getTime() - 86_400_000))),
    );
    expect(lastOrderWeek?.scores["order-to-cash"]).not.toBeNull();
  });

  it("says what is missing instead of scoring 0: Gorgias not connected, customers' emails withheld", async () => {
    const b = await computeGapReport(db(), SHOP_B, { windowDays: 30, now });
    expect(b.ordersInWindow).toBe(30);
    for (const id of [
      "tickets-per-100-orders",
      "wismo-share",
      "first-response-time",
      "resolution-time",
      "delays-reached-first",
    ]) {
      const m = measureOf(b, "customer-service", id);
      expect(m.level).toBeNull();
      expect(m.missing).toEqual({
        reason: "Connect Gorgias to measure your tickets: Switchboard has no helpdesk data.",
        fix: { label: "Connect Gorgias", url: "/app/integrations" },
      });
    }
    expect(scoreOf(b, "customer-service")).toBeNull();
    const lapsed = measureOf(b, "post-purchase-marketing", "lapsed-reached");
    expect(lapsed.level).toBeNull();
    expect(lapsed.missing?.reason).toMatch(
      /withholds customers' emails .*30 of your last 30 orders with a customer account/,
    );
    // Shop B's own figures, none of shop A's.
    expect(measureOf(b, "order-to-cash", "payments-outstanding").value).toBe(100);
    const refunds = measureOf(b, "order-to-cash", "refund-turnaround");
    expect(refunds.value).toBeCloseTo(23 / 24, 6);
    expect(refunds).toMatchObject({ display: "1 day", context: "median of 30 refunds", level: 3 });
    expect(b.band.id).toBe("under-1m");
    // No offer shown: the upsell's gap is every order, not a take rate below the target.
    expect(measureOf(b, "post-purchase-marketing", "upsell-take-rate").missing?.reason).toMatch(
      /^No post-purchase offer/,
    );
    const upsell = b.punchList.find((p) => p.id === "post-purchase-upsell")!;
    expect(upsell.title).toBe("30 orders with no post-purchase offer shown");
    expect(upsell.arithmetic.at(-1)).toMatch(
      /^30 orders × 5 % typically taken once offers are shown × \$[\d.,]+ = \$[\d.,]+$/,
    );
  });

  it("says so when no refund or ticket can be timed in the window, rather than scoring 0", async () => {
    const c = gapStore(db(), SHOP_C, now);
    await c.shop();
    await c.connect("gorgias");
    await c.order(1, { createdAt: c.days(2) });
    // A restock moved no money; a ticket known from before its times were kept; a refund and a
    // reply from before the window.
    await c.refund(1, { order: 1, createdAt: c.days(1), moneyStatus: "none" });
    await c.refund(2, { order: 1, createdAt: c.days(40), processedAt: c.days(39) });
    await c.ticket(1, { email: "ann@example.com", updatedAt: c.hours(2), closedAt: c.hours(2) });
    await c.ticket(2, {
      email: "bo@example.com",
      updatedAt: c.days(40),
      createdAt: c.days(41),
      firstResponseAt: c.days(40),
    });
    const report = await computeGapReport(db(), SHOP_C, { windowDays: 30, now });
    expect(measureOf(report, "order-to-cash", "refund-turnaround")).toMatchObject({
      value: null,
      level: null,
      display: "—",
      missing: {
        reason: expect.stringMatching(/^No refund sending money back was issued in the window/),
        fix: null,
      },
    });
    expect(measureOf(report, "customer-service", "first-response-time")).toMatchObject({
      level: null,
      missing: {
        reason:
          "No customer's ticket got its first reply from your team in the window, as far as Gorgias told Switchboard.",
        fix: null,
      },
    });
    expect(measureOf(report, "customer-service", "resolution-time").missing).toEqual({
      reason: "No Gorgias ticket was closed in the window.",
      fix: null,
    });
    // The zone scores what it can: 100 tickets per 100 orders (0), none about an order (3).
    expect(scoreOf(report, "customer-service")).toBe(1.5);
  });

  it("counts a checkout abandoned at the window's very end, and recovered only by an order before it", async () => {
    const shop = "gap-checkout-edges.myshopify.com";
    const e = gapStore(db(), shop, now);
    await e.shop();
    await e.order(1, { createdAt: e.days(3) });
    const abandonAfter = 4 * HOUR_MS;
    // Abandoned exactly at the window's end (4 hours after its last activity), and one a
    // millisecond too recent to be abandoned yet.
    await e.checkout("e1", { createdAt: e.ago(abandonAfter) });
    await e.checkout("e2", { createdAt: e.ago(abandonAfter - 1) });
    // Abandoned, then ordered at the window's end (not before it), and ordered a day before it.
    await e.checkout("e3", { createdAt: e.days(10), orderedAt: now });
    await e.checkout("e4", { createdAt: e.days(10), orderedAt: e.days(1) });
    // Created at the window's first instant, and a millisecond before it.
    await e.checkout("e5", { createdAt: e.days(30) });
    await e.checkout("e6", { createdAt: e.ago(30 * 24 * HOUR_MS + 1) });
    const report = await computeGapReport(db(), shop, { windowDays: 30, now });
    const recovery = measureOf(report, "post-purchase-marketing", "checkout-recovery");
    expect(recovery.value).toBe(25);
    expect(recovery.context).toBe("1 checkout of 4 abandoned checkouts");
  });

  it("writes the report in French for a French admin: same figures, French words and formats", async () => {
    const fr = await computeGapReport(db(), SHOP_A, { windowDays: 90, now, locale: "fr" });
    expect(fr.zones.map((z) => z.score)).toEqual(report.zones.map((z) => z.score));
    expect(fr.zones.map((z) => z.label)).toEqual([
      "De la commande à l’encaissement",
      "Stock et expédition",
      "Service client",
      "Après-achat et marketing",
    ]);
    const refunds = fr.zones[0]!.measures.find((m) => m.id === "refund-turnaround")!;
    expect(refunds).toMatchObject({
      label: "Délai de remboursement",
      display: "3 jours",
      context: "médiane de 3 remboursements, dont 1 encore en attente",
      thresholds: "Niveau 3 à 2 jours ou moins · 2 à 5 jours · 1 à 10 jours",
    });
    expect(refunds.definition).toMatch(
      /^Remboursements émis sur la période qui rendent de l’argent : la durée médiane/,
    );
    const firstResponse = fr.zones[2]!.measures.find((m) => m.id === "first-response-time")!;
    expect(firstResponse).toMatchObject({
      label: "Délai de première réponse",
      display: "3 heures",
      context: "médiane de 3 tickets",
    });
    const lapsed = fr.punchList.find((p) => p.id === "lapsed-customers")!;
    expect(lapsed.title).toBe("2 clients inactifs n’ont jamais été relancés");
    // French money and decimals: "100,00 $US", "5 %".
    expect(lapsed.arithmetic[0]).toMatch(
      /^2 clients inactifs × 100,00\s\$US de commande moyenne × 5 % de reconquête = 10,00\s\$US$/,
    );
    expect(fr.computedAtDisplay).toMatch(/^Calculé /);
    expect(fr.punchList.map((p) => p.atStake)).toEqual(report.punchList.map((p) => p.atStake));
  });

  it("never counts another shop's rows", async () => {
    const again = await computeGapReport(db(), SHOP_A, { windowDays: 90, now });
    expect(again.zones.map((z) => z.score)).toEqual(report.zones.map((z) => z.score));
    expect(again.punchList).toEqual(report.punchList);
  });

  it("the task caches the report the screen then reads as ready, and queues tomorrow's", async () => {
    const { queue, jobs } = recordingQueue();
    const helpers = { database: testDatabase().database, clock: { now: () => now }, queue };
    await computeGapReportTaskRunner.run(
      { shop: SHOP_A, windowDays: 90, locale: "en", requestedAt: now.toISOString() },
      helpers as unknown as TaskHelpers,
    );
    const state = await loadGapReportState(db(), SHOP_A, { windowDays: 90, now, timeZone: null });
    expect(state.status).toBe("ready");
    if (state.status !== "ready") return;
    expect(state.stale).toBe(false);
    expect(state.report.ordersInWindow).toBe(20);
    expect(state.report.punchList[0]!.id).toBe("outstanding-payments");
    const tomorrowAt = shopTime({ timeZone: null }).atLocal(
      addDays(isoDate(now), 1),
      GAP_REPORT_LOCAL_HOUR,
    );
    expect(jobs).toEqual([
      {
        task: "compute-gap-report",
        payload: {
          shop: SHOP_A,
          windowDays: 90,
          locale: "en",
          requestedAt: tomorrowAt.toISOString(),
        },
        startAfter: tomorrowAt,
      },
    ]);
  });

  it("the task leaves an uninstalled shop alone, and shop/redact removes the cached report", async () => {
    const gone = gapStore(db(), SHOP_GONE, now);
    await gone.shop();
    await gone.order(1, { createdAt: gone.days(1) });
    await db().update(shops).set({ uninstalledAt: now }).where(eq(shops.domain, SHOP_GONE));
    const { queue, jobs } = recordingQueue();
    await computeGapReportTaskRunner.run(
      { shop: SHOP_GONE, windowDays: 90, locale: "en", requestedAt: now.toISOString() },
      {
        database: testDatabase().database,
        clock: { now: () => now },
        queue,
      } as unknown as TaskHelpers,
    );
    expect(jobs).toEqual([]);
    expect(await db().select().from(gapReports).where(eq(gapReports.shop, SHOP_GONE))).toEqual([]);

    await redactShop(db(), SHOP_A);
    expect(await db().select().from(gapReports).where(eq(gapReports.shop, SHOP_A))).toEqual([]);
  });
});

describe("thresholds", () => {
  it("are met at the bound", async () => {
    const { levelOf } = await import("../../app/models/gap-report/measures");
    expect(levelOf(2, { better: "lower", levels: [2, 5, 10] })).toBe(3);
    expect(levelOf(10.1, { better: "lower", levels: [2, 5, 10] })).toBe(0);
    expect(levelOf(50, { better: "higher", levels: [80, 50, 20] })).toBe(2);
    expect(levelOf(19.9, { better: "higher", levels: [80, 50, 20] })).toBe(0);
  });
});
