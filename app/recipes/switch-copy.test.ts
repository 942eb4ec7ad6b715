import { describe, expect, it } from "vitest";
import { PLANS, pausedByPlan } from "../billing/plans";
import { pausedReasonIn, switchResultIn } from "./switch-copy";

const recipe = { title: "Relance des colis en retard" };

describe("switching a recipe, in the admin's language", () => {
  it("says a recipe is on or off in French, and leaves English as it was", () => {
    expect(switchResultIn({ ok: true, message: "X is on." }, recipe, true, [], "fr")).toEqual({
      ok: true,
      message: "Relance des colis en retard est activée.",
    });
    expect(switchResultIn({ ok: true, message: "X is off." }, recipe, false, [], "en")).toEqual({
      ok: true,
      message: "X is off.",
    });
  });

  it("asks for the missing integrations, and explains the plan's limit, in French", () => {
    expect(
      switchResultIn(
        { ok: false, error: "Connect Klaviyo and Gorgias first: X needs them." },
        recipe,
        true,
        ["Klaviyo", "Gorgias"],
        "fr",
      ),
    ).toEqual({
      ok: false,
      error: "Connectez d'abord Klaviyo et Gorgias : Relance des colis en retard en a besoin.",
    });
    expect(
      switchResultIn(
        {
          ok: false,
          upgrade: true,
          error:
            "The Free plan allows 2 recipes switched on at once. Switch one off or upgrade your plan.",
        },
        recipe,
        true,
        [],
        "fr",
      ),
    ).toEqual({
      ok: false,
      upgrade: true,
      error:
        "Le forfait Gratuit permet d'activer 2 recettes à la fois. Désactivez-en une ou passez à un forfait supérieur.",
    });
    expect(pausedReasonIn(pausedByPlan(PLANS.Free), "fr")).toBe(
      `En pause : le forfait Gratuit permet d'activer ${PLANS.Free.limits.recipesOn} recettes`,
    );
    expect(pausedReasonIn(pausedByPlan(PLANS.Free), "en")).toBe(pausedByPlan(PLANS.Free));
  });
});
