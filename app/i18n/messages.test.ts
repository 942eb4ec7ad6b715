import { describe, expect, it } from "vitest";
import { toLocale } from "./locale";
import { defineMessages, translator } from "./messages";

const messages = defineMessages({
  en: { greeting: "Hello {name}", runs_one: "{count} run", runs_other: "{count} runs" },
  fr: {
    greeting: "Bonjour {name}",
    runs_one: "{count} exécution",
    runs_other: "{count} exécutions",
  },
});

describe("translator", () => {
  it("fills placeholders in the shop's language", () => {
    expect(translator(messages, "fr")("greeting", { name: "Lena" })).toBe("Bonjour Lena");
    expect(translator(messages, "en")("greeting", { name: "Lena" })).toBe("Hello Lena");
  });

  it("picks plural forms by each language's rules (French counts 0 as singular)", () => {
    const en = translator(messages, "en");
    const fr = translator(messages, "fr");
    expect(en("runs", { count: 0 })).toBe("0 runs");
    expect(en("runs", { count: 1 })).toBe("1 run");
    expect(fr("runs", { count: 0 })).toBe("0 exécution");
    expect(fr("runs", { count: 1200 })).toBe(`${(1200).toLocaleString("fr-FR")} exécutions`);
  });

  it("reads Shopify's locale parameter, falling back to English", () => {
    expect(toLocale("fr-CA")).toBe("fr");
    expect(toLocale("FR")).toBe("fr");
    expect(toLocale("de")).toBe("en");
    expect(toLocale(null)).toBe("en");
  });
});

describe("requestLocale", () => {
  it("takes Shopify Admin's locale parameter first, then the browser's language", async () => {
    const { requestLocale } = await import("./request.server");
    expect(requestLocale(new Request("https://app.test/app?locale=fr-FR&shop=a"))).toBe("fr");
    expect(
      requestLocale(
        new Request("https://app.test/app?locale=en", { headers: { "accept-language": "fr" } }),
      ),
    ).toBe("en");
    expect(
      requestLocale(
        new Request("https://app.test/auth/login", {
          headers: { "accept-language": "fr-CA,fr;q=0.9" },
        }),
      ),
    ).toBe("fr");
    expect(requestLocale(new Request("https://app.test/auth/login"))).toBe("en");
  });
});
