import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { productionConfigProblems } from "../../scripts/check-app-config.js";

const local = readFileSync("shopify.app.toml", "utf8");
const production = readFileSync("shopify.app.production.toml", "utf8");

/** Scopes and webhook subscriptions, without comments or layout: what Shopify is told to do. */
function permissionsAndWebhooks(toml: string): string[] {
  const lines = toml
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean);
  const scopes = lines.filter((line) => line.startsWith("scopes"));
  const webhooks = lines.slice(lines.indexOf("[webhooks]"));
  return [...scopes, ...webhooks.slice(0, webhooks.indexOf("[pos]"))];
}

describe("app configs", () => {
  it("production asks for the same scopes and webhook subscriptions as the local config", () => {
    const localSection = permissionsAndWebhooks(local);
    expect(localSection.some((line) => line.includes('"orders/create"'))).toBe(true);
    expect(permissionsAndWebhooks(production)).toEqual(localSection);
  });

  it("neither carries the key CLI 4.8 removed", () => {
    expect(local).not.toMatch(/include_config_on_deploy/);
    expect(production).not.toMatch(/include_config_on_deploy/);
  });

  it("npm run deploy refuses the committed placeholders and accepts a filled-in config", () => {
    expect(productionConfigProblems(production)).toEqual([
      expect.stringContaining("client_id"),
      expect.stringContaining("application_url"),
      expect.stringContaining("redirect_urls"),
    ]);
    const filled = production
      .replace("REPLACE_WITH_PRODUCTION_CLIENT_ID", "0a1b2c3d4e5f60718293a4b5c6d7e8f9")
      .replaceAll("REPLACE_WITH_APP_HOST", "switchboard.example.com");
    expect(productionConfigProblems(filled)).toEqual([]);
    expect(productionConfigProblems(local)).toEqual([
      expect.stringContaining("client_id"),
      expect.stringContaining("application_url"),
      expect.stringContaining("redirect_urls"),
    ]);
  });
});
