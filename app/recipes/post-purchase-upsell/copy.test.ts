import { describe, expect, it } from "vitest";
import { configSchema } from "./config";
import { funnelStepCopy } from "./copy";

const rule = {
  copy: { headlineEn: "One more thing", buttonEn: "Add it", headlineFr: "Encore une chose" },
  nextCopy: { headlineEn: "", bodyEn: "Goes with what you just added" },
  downsellCopy: { headlineFr: "Dernière chance", buttonFr: "Je le prends" },
};

describe("what each funnel step's page says", () => {
  it("the first offer uses the rule's words in the shopper's language", () => {
    expect(funnelStepCopy(rule, "offer", "en-US")).toEqual({
      headline: "One more thing",
      body: null,
      button: "Add it",
    });
  });

  it("a step's own words win; each empty field takes the first offer's", () => {
    expect(funnelStepCopy(rule, "next", "en")).toEqual({
      headline: "One more thing",
      body: "Goes with what you just added",
      button: "Add it",
    });
    expect(funnelStepCopy(rule, "downsell", "fr-CA")).toEqual({
      headline: "Dernière chance",
      body: null,
      button: "Je le prends",
    });
    // Nothing of its own in English: the first offer's English words.
    expect(funnelStepCopy(rule, "downsell", "en")).toEqual({
      headline: "One more thing",
      body: null,
      button: "Add it",
    });
  });

  it("a rule that words nothing keeps the page's own wording", () => {
    expect(funnelStepCopy({}, "downsell", "en")).toBeNull();
  });

  it("the settings form refuses a step headline longer than a headline may be", () => {
    const parsed = configSchema.safeParse({
      rules: [
        {
          name: "Everyone",
          everyOrder: true,
          offerVariantId: "1",
          downsellVariantId: "2",
          downsellCopy: { headlineEn: "x".repeat(61) },
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["rules", 0, "downsellCopy", "headlineEn"]);
  });
});
