import { describe, expect, it } from "vitest";
import { RECIPES } from "./registry";
import { connectToolsSentence, disconnectWarning, releasedSentence } from "./integration-copy";

describe("Home's connect-your-tools sentence", () => {
  const needing = (vendor: string) => RECIPES.filter((r) => r.requires.includes(vendor)).length;

  it("counts the recipes that need the integration that is missing", () => {
    const sentence = connectToolsSentence(RECIPES, new Set(["gorgias"]));
    expect(sentence).toBe(
      `Klaviyo is not connected; ${needing("klaviyo")} of the ${RECIPES.length} recipes need it.`,
    );
  });

  it("counts each recipe once when both are missing", () => {
    const either = RECIPES.filter(
      (r) => r.requires.includes("klaviyo") || r.requires.includes("gorgias"),
    ).length;
    expect(connectToolsSentence(RECIPES, new Set())).toBe(
      `Klaviyo and Gorgias are not connected; ${either} of the ${RECIPES.length} recipes need one of them.`,
    );
  });

  it("says nothing when everything is connected, and no recipe when none needs it", () => {
    expect(connectToolsSentence(RECIPES, new Set(["klaviyo", "gorgias"]))).toBe("");
    expect(
      connectToolsSentence([{ requires: ["klaviyo"] }], new Set(["klaviyo"]), [
        "klaviyo",
        "gorgias",
      ]),
    ).toBe("Gorgias is not connected; no recipe needs it.");
  });
});

describe("integration sentences in French", () => {
  it("counts the recipes that need a missing integration, with French plurals", () => {
    const klaviyo = RECIPES.filter((r) => r.requires.includes("klaviyo")).length;
    expect(connectToolsSentence(RECIPES, new Set(["gorgias"]), undefined, "fr")).toBe(
      `Klaviyo n'est pas connecté ; ${klaviyo} recettes sur ${RECIPES.length} en ont besoin.`,
    );
    expect(
      connectToolsSentence(
        [{ requires: ["klaviyo"] }, { requires: [] }],
        new Set(),
        undefined,
        "fr",
      ),
    ).toBe("Klaviyo et Gorgias ne sont pas connectés ; 1 recette sur 2 a besoin de l'un d'eux.");
    expect(connectToolsSentence([{ requires: [] }], new Set(["klaviyo"]), undefined, "fr")).toBe(
      "Gorgias n'est pas connecté ; aucune recette n'en a besoin.",
    );
  });

  it("warns before a disconnect and reports released work in French", () => {
    expect(disconnectWarning("gorgias", [], "fr")).toBe(
      "Aucune recette activée n'a besoin de Gorgias. Switchboard supprime la clé ; vous pouvez reconnecter Gorgias à tout moment.",
    );
    expect(
      disconnectWarning(
        "klaviyo",
        [
          { title: "A", requires: ["klaviyo"] },
          { title: "B", requires: ["klaviyo"] },
        ],
        "fr",
      ),
    ).toMatch(/^A et B n'enverront plus rien à Klaviyo\. Ce qu'elles décident entre-temps/);
    expect(disconnectWarning("klaviyo", [{ title: "A", requires: ["klaviyo"] }])).toMatch(
      /^A will stop sending to Klaviyo\. What it decides meanwhile waits/,
    );
    expect(releasedSentence("klaviyo", { delivered: 1, dropped: 2 }, "fr")).toBe(
      " 1 action en attente est en cours d'envoi à Klaviyo ; 2 actions en attente depuis plus de 7 jours ont été abandonnées.",
    );
    expect(releasedSentence("klaviyo", { delivered: 2, dropped: 1 })).toBe(
      " 2 actions that waited are being sent to Klaviyo now; 1 that waited more than 7 days was dropped.",
    );
  });
});
