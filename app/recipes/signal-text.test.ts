import { describe, expect, it } from "vitest";
import { findRecipe, RECIPES } from "./registry";
import { signalText } from "./recipe-text";

const signalOf = (id: string) => findRecipe(id)!.signal!;

describe("Home's 'what to switch on next' sentences", () => {
  it("reads in English as before, singular for one", () => {
    const reviews = signalOf("review-request-timing");
    expect(signalText(reviews, 1)).toBe("1 parcel was delivered in the last 30 days.");
    expect(signalText(reviews, 1_204)).toBe("1,204 parcels were delivered in the last 30 days.");
    expect(signalText(reviews, 0)).toBe("0 parcels were delivered in the last 30 days.");
  });

  it("reads in French, with French plurals: 0 and 1 singular, numbers as French writes them", () => {
    const winBack = signalOf("win-back-segments");
    expect(signalText(winBack, 0, "fr")).toBe("0 client n’a pas commandé depuis plus de 60 jours.");
    expect(signalText(winBack, 1, "fr")).toBe("1 client n’a pas commandé depuis plus de 60 jours.");
    expect(signalText(winBack, 1_204, "fr")).toBe(
      "1\u202f204 clients n’ont pas commandé depuis plus de 60 jours.",
    );
    expect(signalText(signalOf("review-request-timing"), 3, "fr")).toBe(
      "3 colis ont été livrés ces 30 derniers jours.",
    );
  });

  it("every recipe's signal has its own French, singular and plural", () => {
    for (const recipe of RECIPES.filter((r) => r.signal)) {
      const one = signalText(recipe.signal!, 1, "fr");
      const many = signalText(recipe.signal!, 7, "fr");
      expect(one, recipe.id).toMatch(/^1 /);
      expect(many, recipe.id).toMatch(/^7 /);
      expect(one, recipe.id).not.toBe(signalText(recipe.signal!, 1));
      expect(many, recipe.id).not.toBe(signalText(recipe.signal!, 7));
      expect(`${one} ${many}`, recipe.id).not.toMatch(/\b(the|last|days|orders?|customers?)\b/);
    }
  });
});
