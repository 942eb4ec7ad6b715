import { describe, expect, it } from "vitest";
import type { HistoryImport } from "../../db/schema/history-imports";
import { historyImportCard } from "./history-import-view";

const DAY = 86_400_000;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);

function row(overrides: Partial<HistoryImport>): HistoryImport {
  const startedAt = ago(10 * 60_000);
  return {
    shop: "s.myshopify.com",
    importId: "i",
    status: "running",
    phase: "orders",
    since: new Date(startedAt.getTime() - 365 * DAY),
    bulkOperationId: "gid://shopify/BulkOperation/1",
    objectCount: null,
    step: 1,
    linesLoaded: 0,
    orders: 0,
    customers: 0,
    fulfillments: 0,
    inventoryLevels: 0,
    lastError: null,
    startedAt,
    finishedAt: null,
    updatedAt: now,
    ...overrides,
  };
}

describe("Home's history import card", () => {
  it("while Shopify prepares the export: no estimate yet, no re-import", () => {
    const card = historyImportCard(row({}), { now, timeZone: "Europe/Paris" });
    expect(card).toMatchObject({ status: "running", progress: 0, eta: null, canReimport: false });
    expect(card.headline).toBe("Importing your store's history (the last 365 days)");
    expect(card.detail).toMatch(/^Shopify is preparing your orders since /);
  });

  it("while loading: progress, counts and an estimate from the pace so far", () => {
    // Half the orders' lines in 10 minutes: 45% of the bar, ~12 minutes left.
    const card = historyImportCard(
      row({
        objectCount: 2_000,
        linesLoaded: 1_000,
        orders: 400,
        lastError: "Shopify did not answer",
      }),
      { now, timeZone: null },
    );
    expect(card.progress).toBe(45);
    expect(card.detail).toMatch(/^400 orders since .* imported so far\.$/);
    expect(card.eta).toBe("about 13 minutes left");
    expect(card.error).toBe("Shopify did not answer");
    expect(card.counts).toEqual([
      { label: "Orders", value: 400 },
      { label: "Customers", value: 0 },
      { label: "Stock levels", value: 0 },
    ]);
  });

  it("done: what came in, finished in the shop's time zone", () => {
    const finishedAt = ago(3 * 60_000);
    const card = historyImportCard(
      row({
        status: "done",
        phase: "stock",
        orders: 1_234,
        customers: 1,
        inventoryLevels: 56,
        finishedAt,
      }),
      { now, timeZone: "Asia/Tokyo" },
    );
    expect(card.headline).toBe("Imported 1,234 orders from the last 365 days");
    expect(card.detail).toBe("1 customer and 56 stock levels, finished 3 minutes ago.");
    const dayLater = historyImportCard(row({ status: "done", finishedAt: ago(2 * DAY) }), {
      now,
      timeZone: "Asia/Tokyo",
    });
    const tokyo = new Intl.DateTimeFormat("en-US", {
      timeZone: "Asia/Tokyo",
      dateStyle: "medium",
      timeStyle: "short",
    }).format(ago(2 * DAY));
    expect(dayLater.detail).toContain(`finished ${tokyo}.`);
    expect(card).toMatchObject({ progress: 100, canReimport: true, error: null });
  });

  it("failed: the reason and a retry", () => {
    const card = historyImportCard(
      row({ status: "failed", lastError: "Shopify took too long to export your orders." }),
      { now, timeZone: "UTC" },
    );
    expect(card).toMatchObject({
      status: "failed",
      headline: "The history import stopped",
      error: "Shopify took too long to export your orders.",
      canReimport: true,
    });
    expect(card.detail).toBe("No order from the last 365 days was imported.");
  });

  it("dates the import's window in the shop's zone, and in UTC when the zone is unknown", () => {
    const since = new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 15, 23, 30));
    expect(historyImportCard(row({ since }), { now, timeZone: "Asia/Tokyo" }).detail).toBe(
      `Shopify is preparing your orders since Jan 16, ${now.getUTCFullYear() - 1}.`,
    );
    expect(historyImportCard(row({ since }), { now, timeZone: "Not/AZone" }).detail).toBe(
      `Shopify is preparing your orders since Jan 15, ${now.getUTCFullYear() - 1}.`,
    );
  });
});
