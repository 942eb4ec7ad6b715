import { describe, expect, it } from "vitest";
import { RECIPES } from "./registry";
import { connectToolsSentence } from "./integration-copy";

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
