import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { webhookLine } from "../routes/app.activity/lines";
import { EVENT_WORDS, TRIGGER_WORDS, eventWords, timelineTrigger } from "./event-words";

const locales = (file: string) =>
  JSON.parse(
    readFileSync(
      new URL(`../../extensions/order-automation-timeline/locales/${file}`, import.meta.url),
      "utf8",
    ),
  ) as { locale: string; triggers: Record<string, string> };

describe("what told the app to act, in the merchant's words", () => {
  it("one list for Activity's webhooks and the order block's triggers, in English and French", () => {
    expect(eventWords("fulfillment_events/create")).toBe("Parcel scan");
    expect(eventWords("fulfillment_events/create", "fr")).toBe("Scan du colis");
    expect(eventWords("fulfillments/create", "fr")).toBe("Traitement créé");
    expect(eventWords("some/new_topic")).toBeNull();
    expect(webhookLine({ topic: "orders/create", resourceName: "#1042" })).toBe("New order #1042");
    expect(webhookLine({ topic: "orders/create", resourceName: "#1042" }, "fr")).toBe(
      "Nouvelle commande #1042",
    );
    expect(webhookLine({ topic: "app/uninstalled", resourceName: null }, "fr")).toBe(
      "Application désinstallée",
    );
    expect(TRIGGER_WORDS["parcel-scan"]).toEqual({ en: "Parcel scan", fr: "Scan du colis" });
  });

  it("gives the order block a stable key for each stored trigger label", () => {
    expect(timelineTrigger("orders/create")).toBe("order-created");
    expect(timelineTrigger("fulfillment_events/create")).toBe("parcel-scan");
    expect(timelineTrigger("gorgias/ticket-opened")).toBe("ticket-opened");
    expect(timelineTrigger("daily-scan")).toBe("daily-check");
    expect(timelineTrigger("follow-up:review-request")).toBe("follow-up");
    expect(timelineTrigger("app/uninstalled")).toBe("shopify-update");
    expect(timelineTrigger("something-else")).toBe("shopify-update");
  });

  it("the order block's locales word every trigger as the app does", () => {
    const en = locales("en.default.json");
    const fr = locales("fr.json");
    expect(en.locale).toBe("en");
    expect(fr.locale).toBe("fr");
    expect(en.triggers).toEqual(
      Object.fromEntries(Object.entries(TRIGGER_WORDS).map(([k, w]) => [k, w.en])),
    );
    expect(fr.triggers).toEqual(
      Object.fromEntries(Object.entries(TRIGGER_WORDS).map(([k, w]) => [k, w.fr])),
    );
    // Every event a run can start from has a key the block knows.
    for (const words of Object.values(EVENT_WORDS))
      if (words.trigger) expect(en.triggers[words.trigger]).toBe(words.en);
  });
});
