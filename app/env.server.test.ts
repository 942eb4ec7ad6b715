import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("runs with no setup outside production, on PGlite under ./data", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DATA_DIR).toBe("./data/pglite");
    expect(env.WORKERS).toBe("in-process");
  });

  it("refuses to boot in production without real Shopify credentials, naming each", () => {
    const error = (() => {
      try {
        parseEnv({ NODE_ENV: "production" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    expect(message).toContain("SHOPIFY_API_KEY: missing");
    expect(message).toContain("SHOPIFY_API_SECRET: missing");
    expect(message).toContain("ENCRYPTION_KEYS: missing");
  });

  describe("the database in production", () => {
    const production = {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "real-client-id",
      SHOPIFY_API_SECRET: "real-client-secret",
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString("base64")}`,
    };

    it("refuses to boot without DATABASE_URL, saying how to choose PGlite on purpose", () => {
      expect(() => parseEnv(production)).toThrowError(
        expect.objectContaining({
          problems: [
            "DATABASE_URL: required in production (postgres://…); to run on the embedded PGlite store instead, set USE_PGLITE=1",
          ],
        }),
      );
      expect(() => parseEnv({ ...production, USE_PGLITE: "0" })).toThrowError(EnvError);
    });

    it("runs on PGlite when asked for explicitly, and on PostgreSQL when given its URL", () => {
      const pglite = parseEnv({ ...production, USE_PGLITE: "1", PGLITE_DATA_DIR: "/data/pglite" });
      expect(pglite.DATABASE_URL).toBeUndefined();
      expect(pglite.USE_PGLITE).toBe(true);
      expect(pglite.PGLITE_DATA_DIR).toBe("/data/pglite");
      const postgres = parseEnv({ ...production, DATABASE_URL: "postgres://app@db/switchboard" });
      expect(postgres.DATABASE_URL).toBe("postgres://app@db/switchboard");
    });

    it("takes a direct URL beside a pooled DATABASE_URL, and refuses one without it", () => {
      const pooled = parseEnv({
        ...production,
        DATABASE_URL: "postgres://app@pgbouncer:6432/switchboard",
        DATABASE_DIRECT_URL: "postgres://app@db:5432/switchboard",
      });
      expect(pooled.DATABASE_DIRECT_URL).toBe("postgres://app@db:5432/switchboard");
      expect(() =>
        parseEnv({
          ...production,
          USE_PGLITE: "1",
          DATABASE_DIRECT_URL: "postgres://app@db:5432/switchboard",
        }),
      ).toThrowError(
        expect.objectContaining({
          problems: [
            "DATABASE_DIRECT_URL: set without DATABASE_URL; it is the direct path beside DATABASE_URL's pooler",
          ],
        }),
      );
    });

    it("refuses both at once, and a USE_PGLITE that is not 1 or 0", () => {
      expect(() =>
        parseEnv({ ...production, USE_PGLITE: "1", DATABASE_URL: "postgres://app@db/switchboard" }),
      ).toThrowError(
        expect.objectContaining({
          problems: ["USE_PGLITE: set together with DATABASE_URL; choose one database"],
        }),
      );
      expect(() => parseEnv({ ...production, USE_PGLITE: "yes" })).toThrowError(
        expect.objectContaining({
          problems: expect.arrayContaining(["USE_PGLITE: must be 1 or 0"]),
        }),
      );
    });
  });

  it("names every bad variable at once", () => {
    expect(() =>
      parseEnv({
        PORT: "99999",
        DATABASE_URL: "mysql://localhost/db",
        SHOPIFY_APP_URL: "not a url",
        WORKERS: "sometimes",
        ENCRYPTION_KEYS: "k1:short",
      }),
    ).toThrowError(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringMatching(/^PORT:/),
          expect.stringMatching(/^DATABASE_URL: must start with postgres:\/\//),
          expect.stringMatching(/^SHOPIFY_APP_URL:/),
          expect.stringMatching(/^WORKERS:/),
          expect.stringMatching(/^ENCRYPTION_KEYS: each entry/),
        ]),
      }),
    );
  });

  it("accepts a PostgreSQL URL and several encryption keys for rotation", () => {
    const key = Buffer.alloc(32, 1).toString("base64");
    const env = parseEnv({
      DATABASE_URL: "postgres://app@db:5432/switchboard",
      ENCRYPTION_KEYS: `2026b:${key},2026a:${key}`,
    });
    expect(env.DATABASE_URL).toBe("postgres://app@db:5432/switchboard");
    expect(env.ENCRYPTION_KEYS.map((k) => k.id)).toEqual(["2026b", "2026a"]);
  });

  it("refuses an encryption key id listed twice (a sealed secret names its key by id)", () => {
    const a = Buffer.alloc(32, 1).toString("base64");
    const b = Buffer.alloc(32, 2).toString("base64");
    expect(() => parseEnv({ ENCRYPTION_KEYS: `2026a:${a},2026a:${b}` })).toThrowError(
      expect.objectContaining({
        problems: [expect.stringMatching(/^ENCRYPTION_KEYS: key id "2026a" appears twice/)],
      }),
    );
  });
});
