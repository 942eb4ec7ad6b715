import { describe, expect, it } from "vitest";
import type { HistoryImport } from "../../db/schema/history-imports";
import { historyImportCard } from "./history-import-view";
import { storedImportError } from "../integrations/shopify-admin/history-import-copy";

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

  describe("in French (the admin's language)", () => {
    const fr = (n: number) => n.toLocaleString("fr-FR");

    it("while running: headline, progress sentence, counts' labels and estimate", () => {
      const card = historyImportCard(
        row({ objectCount: 2_000, linesLoaded: 1_000, orders: 1_400 }),
        { now, timeZone: null },
        "fr",
      );
      expect(card.headline).toBe(
        "Importation de l’historique de votre boutique (365 derniers jours)",
      );
      expect(card.detail).toMatch(
        new RegExp(`^${fr(1_400)} commandes depuis le .+ importées jusqu’ici\\.$`),
      );
      expect(card.eta).toBe("environ 13 minutes restantes");
      expect(card.counts.map((c) => c.label)).toEqual(["Commandes", "Clients", "Niveaux de stock"]);
      const one = historyImportCard(
        row({ objectCount: 2_000, linesLoaded: 10, orders: 1 }),
        { now, timeZone: null },
        "fr",
      );
      expect(one.detail).toMatch(/^1 commande depuis le .+ importée jusqu’ici\.$/);
    });

    it("dates the window in French", () => {
      const since = new Date(now.getTime() - 400 * DAY);
      const date = new Intl.DateTimeFormat("fr-FR", {
        timeZone: "Asia/Tokyo",
        dateStyle: "medium",
      }).format(since);
      expect(historyImportCard(row({ since }), { now, timeZone: "Asia/Tokyo" }, "fr").detail).toBe(
        `Shopify prépare vos commandes depuis le ${date}.`,
      );
    });

    it("done: singular and plural, finished a moment ago or on a date", () => {
      const card = historyImportCard(
        row({
          status: "done",
          phase: "stock",
          orders: 1_234,
          customers: 1,
          inventoryLevels: 56,
          finishedAt: ago(3 * 60_000),
        }),
        { now, timeZone: "Europe/Paris" },
        "fr",
      );
      expect(card.headline).toBe(`${fr(1_234)} commandes des 365 derniers jours importées`);
      expect(card.detail).toBe(
        "1 client et 56 niveaux de stock ; importation terminée il y a 3 minutes.",
      );
      const earlier = ago(2 * DAY);
      const single = historyImportCard(
        row({
          status: "done",
          orders: 1,
          customers: 0,
          inventoryLevels: 1,
          since: new Date(ago(10 * 60_000).getTime() - DAY),
          finishedAt: earlier,
        }),
        { now, timeZone: "Europe/Paris" },
        "fr",
      );
      const paris = new Intl.DateTimeFormat("fr-FR", {
        timeZone: "Europe/Paris",
        dateStyle: "medium",
        timeStyle: "short",
      }).format(earlier);
      expect(single.headline).toBe("1 commande du dernier jour importée");
      expect(single.detail).toBe(
        `0 client et 1 niveau de stock ; importation terminée le ${paris}.`,
      );
    });

    it("failed: why, in French, from the reason the import's jobs stored", () => {
      const card = (lastError: string, status: HistoryImport["status"] = "failed") =>
        historyImportCard(row({ status, lastError }), { now, timeZone: "UTC" }, "fr").error;
      expect(card(storedImportError("timeout", { what: storedImportError("stock") }))).toBe(
        "Shopify a mis trop de temps à exporter vos niveaux de stock.",
      );
      expect(
        card(
          storedImportError("refused", {
            what: storedImportError("orders"),
            detail: storedImportError("noOperation"),
          }),
        ),
      ).toBe("Shopify a refusé d’exporter vos commandes : aucune opération n’a été créée");
      // Retrying: the last attempt's reason, also in French.
      expect(card(storedImportError("busy"), "running")).toBe(
        "Shopify est encore occupé par un autre export ; Switchboard réessaiera.",
      );
    });

    it("failed: what came in before it stopped; a reason that is not ours reads as written", () => {
      const none = historyImportCard(row({ status: "failed" }), { now, timeZone: "UTC" }, "fr");
      expect(none.headline).toBe("L’importation de l’historique s’est interrompue");
      expect(none.detail).toBe("Aucune commande des 365 derniers jours n’a été importée.");
      expect(none.error).toBe("Shopify n’a pas indiqué pourquoi.");
      const some = historyImportCard(
        row({ status: "failed", orders: 2, lastError: "Shopify took too long." }),
        { now, timeZone: "UTC" },
        "fr",
      );
      expect(some.detail).toBe(
        "2 commandes des 365 derniers jours importées avant l’interruption ; réessayer importe le reste et garde ce qui est plus récent.",
      );
      expect(some.error).toBe("Shopify took too long.");
    });
  });

  it("English by default, unchanged when asked for explicitly", () => {
    const r = row({ status: "failed", orders: 3 });
    expect(historyImportCard(r, { now, timeZone: "UTC" }, "en")).toEqual(
      historyImportCard(r, { now, timeZone: "UTC" }),
    );
    expect(historyImportCard(r, { now, timeZone: "UTC" }).detail).toBe(
      "3 orders from the last 365 days were imported before it stopped; retrying imports the rest and keeps what is newer.",
    );
    expect(historyImportCard(r, { now, timeZone: "UTC" }).error).toBe("Shopify did not say why.");
  });
});
