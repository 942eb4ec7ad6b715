import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/env.server";

const production = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "real-client-id",
  SHOPIFY_API_SECRET: "real-client-secret",
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString("base64")}`,
  DATABASE_URL: "postgres://app@db:5432/switchboard",
};

describe("APP_BRIDGE_URL", () => {
  it("is optional: unset, embedded pages load App Bridge from Shopify's CDN", () => {
    expect(parseEnv({}).APP_BRIDGE_URL).toBeUndefined();
    expect(parseEnv({ APP_BRIDGE_URL: "" }).APP_BRIDGE_URL).toBeUndefined();
  });

  it("takes the sandbox's local stand-in in development", () => {
    expect(
      parseEnv({ APP_BRIDGE_URL: "http://127.0.0.1:4000/sandbox/app-bridge.js" }).APP_BRIDGE_URL,
    ).toBe("http://127.0.0.1:4000/sandbox/app-bridge.js");
  });

  it("stops a production boot that points at a plain-http script, and rejects what is not a URL", () => {
    expect(() =>
      parseEnv({ ...production, APP_BRIDGE_URL: "http://127.0.0.1:4000/sandbox/app-bridge.js" }),
    ).toThrowError(
      expect.objectContaining({
        problems: [expect.stringMatching(/^APP_BRIDGE_URL: must be https in production/)],
      }),
    );
    expect(
      parseEnv({ ...production, APP_BRIDGE_URL: "https://cdn.example.com/app-bridge.js" })
        .APP_BRIDGE_URL,
    ).toBe("https://cdn.example.com/app-bridge.js");
    expect(() => parseEnv({ APP_BRIDGE_URL: "app-bridge.js" })).toThrow(EnvError);
  });
});
