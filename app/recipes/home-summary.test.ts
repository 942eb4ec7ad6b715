import { describe, expect, it } from "vitest";
import { DEFAULT_GUARDS, guardPromises } from "./engine/guards";
import { guardsDescription, homeHeadline } from "./home-summary";

const state = (enabled: number, pausedByPlan = 0, waitingForIntegration = 0) => ({
  enabled,
  pausedByPlan,
  waitingForIntegration,
  guards: DEFAULT_GUARDS,
});

describe("Home's headline", () => {
  it("reads as before in English", () => {
    expect(homeHeadline(state(3, 1, 1))).toBe(
      `1 recipe is running (1 waiting for an integration to be reconnected, 1 paused by your plan). ${guardPromises(DEFAULT_GUARDS)}`,
    );
    expect(homeHeadline(state(2))).toMatch(/^2 recipes are running\. They never offer/);
    expect(homeHeadline(state(0))).toMatch(/^No recipe is switched on yet\./);
  });

  it("speaks French, with French plurals and the shop's guard settings", () => {
    expect(homeHeadline(state(3, 1, 1), "fr")).toBe(
      "1 recette tourne (1 en attente de la reconnexion d'une intégration, 1 en pause à cause de votre forfait). " +
        "Elles ne proposent jamais un article en rupture de stock, envoient au plus 1 message marketing par jour à chaque client, " +
        "proposent au plus 1 offre complémentaire tous les 14 jours et restent silencieuses tant qu'un client a un ticket Gorgias ouvert " +
        "ou a un remboursement en cours ou datant de moins de 14 jours.",
    );
    expect(homeHeadline(state(4), "fr")).toMatch(/^4 recettes tournent\. Elles /);
    expect(homeHeadline(state(2, 2), "fr")).toMatch(/^Aucune recette ne tourne \(2 en pause/);
    expect(homeHeadline(state(0), "fr")).toMatch(/^Aucune recette n'est encore activée\./);
    expect(
      homeHeadline(
        {
          ...state(1),
          guards: {
            ...DEFAULT_GUARDS,
            marketingMax: 3,
            marketingWindowHours: 12,
            suppressAfterRefund: false,
          },
        },
        "fr",
      ),
    ).toContain("envoient au plus 3 messages marketing toutes les 12 heures à chaque client");
  });

  it("describes the shared guards in French for the Recipes screen", () => {
    expect(guardsDescription(DEFAULT_GUARDS, "fr")).toMatch(
      /^Toutes les recettes ne proposent jamais un article en rupture de stock, /,
    );
    expect(guardsDescription(DEFAULT_GUARDS)).toMatch(/^at most 1 marketing message per customer/);
  });
});
