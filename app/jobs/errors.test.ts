import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorMessage } from "./errors";

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
