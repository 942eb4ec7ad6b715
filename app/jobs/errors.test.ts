import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorMessage, isTerminal } from "./errors";

describe("errorMessage", () => {
  it("says what went wrong, whatever was thrown", () => {
    expect(errorMessage(new Error("connection refused"))).toBe("connection refused");
    expect(errorMessage("timeout")).toBe("timeout");
    // pg-boss reports some failures as plain objects: the log must say them, not [object Object].
    expect(errorMessage({ message: "queue cache refresh failed", queue: "run-recipes" })).toBe(
      "queue cache refresh failed",
    );
    expect(errorMessage({ code: "57P01" })).toBe('{"code":"57P01"}');
  });

  it("lists a schema failure by field", () => {
    const parsed = z.object({ shop: z.string() }).safeParse({ shop: 1 });
    expect(errorMessage(parsed.error)).toMatch(/^shop: /);
  });
});

describe("errorMessage of a failed database statement", () => {
  it("says what the database said, without the statement's values", async () => {
    const { DrizzleQueryError } = await import("drizzle-orm/errors");
    const failed = new DrizzleQueryError(
      'update "customers" set "email" = $1',
      ["lena.park@example.com"],
      new Error("deadlock detected"),
    );
    expect(errorMessage(failed)).toBe("database: deadlock detected");
    expect(errorMessage(failed)).not.toContain("lena.park");
  });
});

describe("isTerminal for database errors", () => {
  it("stops retrying a value the database cannot store, keeps retrying a busy database", async () => {
    const { DrizzleQueryError } = await import("drizzle-orm/errors");
    const overflow = Object.assign(new Error("numeric field overflow"), { code: "22003" });
    expect(isTerminal(new DrizzleQueryError("insert …", [], overflow))).toBe(true);
    const busy = Object.assign(new Error("canceling statement due to lock timeout"), {
      code: "55P03",
    });
    expect(isTerminal(new DrizzleQueryError("update …", [], busy))).toBe(false);
    expect(isTerminal(new Error("timeout exceeded when trying to connect"))).toBe(false);
  });
});
