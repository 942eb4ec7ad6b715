import { describe, expect, it } from "vitest";
import { deliveryLine, plainReason } from "../models/activity-lines";
import { waitingReason } from "./engine/run-recipes.server";
import { droppedReason, gapBanner, integrationGaps } from "./held-work.server";
import { heldReasonText } from "./integration-copy";
import { RECIPES } from "./registry";

const now = new Date();
const oldest = new Date(now.getTime() - 2 * 86_400_000);
const at = (locale: string, timeZone: string) =>
  new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
    oldest,
  );

const delay = RECIPES.find((r) => r.id === "shipping-delay-outreach")!;
const review = RECIPES.find((r) => r.id === "review-request-timing")!;
const enabled = new Set([delay.id, review.id]);

describe("Home's banner for an integration that is not connected", () => {
  it("in English, unchanged: one recipe, nothing waiting yet", () => {
    const [gap] = integrationGaps([delay], enabled, new Set(), []);
    expect(gapBanner(gap!, "UTC")).toEqual({
      title: "Klaviyo is not connected: Shipping delay outreach is waiting for it",
      text: "Nothing is waiting yet. What this recipe decides from now on waits for Klaviyo and is sent when you reconnect it; anything that waits more than 7 days is dropped instead of sent late.",
    });
  });

  it("in English: several recipes, work waiting since a time in the shop's zone", () => {
    const held = [
      {
        vendor: "klaviyo" as const,
        waiting: 3,
        oldest,
        byRecipe: { [delay.id]: 2, [review.id]: 1 },
      },
    ];
    const [gap] = integrationGaps([delay, review], enabled, new Set(["gorgias"]), held);
    const banner = gapBanner(gap!, "Asia/Tokyo");
    expect(banner.title).toBe(
      "Klaviyo is not connected: Shipping delay outreach and Review request timing are waiting for it",
    );
    expect(banner.text).toBe(
      `3 actions are waiting for Klaviyo, the oldest since ${at("en-US", "Asia/Tokyo")}. Reconnect Klaviyo to send them; anything that waits more than 7 days is dropped instead of sent late.`,
    );
  });

  it("in French: recipe titles, singular and plural, dates in French", () => {
    const [one] = integrationGaps([delay], enabled, new Set(), [], "fr");
    expect(one!.recipes).toEqual([{ id: delay.id, title: delay.fr.title }]);
    expect(gapBanner(one!, "UTC", "fr")).toEqual({
      title: `Klaviyo n'est pas connecté : ${delay.fr.title} l'attend`,
      text: "Rien n'est encore en attente. Ce que cette recette décide à partir de maintenant attend Klaviyo et sera envoyé quand vous le reconnecterez ; ce qui attend plus de 7 jours est abandonné plutôt qu'envoyé en retard.",
    });

    const held = (waiting: number) => [
      { vendor: "klaviyo" as const, waiting, oldest, byRecipe: { [delay.id]: waiting } },
    ];
    const [both] = integrationGaps([delay, review], enabled, new Set(), held(1), "fr");
    const single = gapBanner(both!, "Europe/Paris", "fr");
    expect(single.title).toBe(
      `Klaviyo n'est pas connecté : ${delay.fr.title} et ${review.fr.title} l'attendent`,
    );
    expect(single.text).toBe(
      `1 action attend Klaviyo, la plus ancienne depuis le ${at("fr-FR", "Europe/Paris")}. Reconnectez Klaviyo pour l'envoyer ; ce qui attend plus de 7 jours est abandonné plutôt qu'envoyé en retard.`,
    );
    const [many] = integrationGaps([delay], enabled, new Set(), held(1200), "fr");
    expect(gapBanner(many!, "Europe/Paris", "fr").text).toMatch(
      new RegExp(
        `^${(1200).toLocaleString("fr-FR")} actions attendent Klaviyo, .+ pour les envoyer ;`,
      ),
    );
  });
});

describe("held work's stored reasons", () => {
  it("stay stored in English and read in French on a French screen", () => {
    expect(droppedReason("klaviyo")).toBe(
      "Dropped: waited more than 7 days for Klaviyo to be connected",
    );
    expect(heldReasonText(droppedReason("klaviyo"), "fr")).toBe(
      "Abandonné : en attente de la connexion de Klaviyo depuis plus de 7 jours",
    );
    expect(heldReasonText(waitingReason("gorgias"), "fr")).toBe(
      "En attente de la connexion de Gorgias",
    );
    expect(heldReasonText(droppedReason("gorgias"), "en")).toBe(droppedReason("gorgias"));
    expect(heldReasonText("no email on the order", "fr")).toBeNull();
    const names = {
      orderName: "#1042",
      firstName: "Lena",
      lastName: "Park",
      email: null,
      ticketNumber: null,
      offerProduct: null,
      stockProduct: null,
    };
    expect(plainReason(waitingReason("klaviyo"), names, "fr")).toBe(
      "En attente de la connexion de Klaviyo",
    );
    expect(plainReason(waitingReason("klaviyo"), names)).toBe(
      "Waiting for Klaviyo to be connected",
    );
    const dropped = {
      status: "dropped" as const,
      list: null,
      metric: null,
      tags: null,
      resource: null,
      lastError: droppedReason("klaviyo"),
      vendor: "klaviyo",
    };
    expect(deliveryLine("review-request-timing", "klaviyo-event", dropped, names, "fr")).toMatch(
      /\(Abandonné : en attente de la connexion de Klaviyo depuis plus de 7 jours\)$/,
    );
  });
});
