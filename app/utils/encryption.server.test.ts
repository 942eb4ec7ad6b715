import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DecryptionError,
  decryptSecret,
  encryptSecret,
  needsReencryption,
} from "./encryption.server";
import { maskSecret } from "./mask";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };

describe("secrets at rest (AES-256-GCM)", () => {
  it("round-trips a secret and never stores it in the clear", () => {
    const secret = "pk_live_9b1f3c5e7a2d4f6b8c0e1a3c5e7a9b1d";
    const sealed = encryptSecret(secret, "integrations:a.myshopify.com:klaviyo", [k1]);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.ciphertext).not.toContain(secret);
    expect(Buffer.from(sealed.ciphertext, "base64").toString("latin1")).not.toContain(secret);
    expect(decryptSecret(sealed, "integrations:a.myshopify.com:klaviyo", [k1])).toBe(secret);
    // A fresh IV every time: the same secret never seals to the same text.
    expect(encryptSecret(secret, "x", [k1]).ciphertext).not.toBe(
      encryptSecret(secret, "x", [k1]).ciphertext,
    );
  });

  it("refuses a value moved to another owner or tampered with", () => {
    const sealed = encryptSecret("secret", "integrations:a.myshopify.com:klaviyo", [k1]);
    expect(() => decryptSecret(sealed, "integrations:b.myshopify.com:klaviyo", [k1])).toThrow(
      DecryptionError,
    );
    const raw = Buffer.from(sealed.ciphertext, "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() =>
      decryptSecret(
        { ...sealed, ciphertext: raw.toString("base64") },
        "integrations:a.myshopify.com:klaviyo",
        [k1],
      ),
    ).toThrow(DecryptionError);
  });

  it("rotates keys: new values use the newest key, old ones still decrypt while their key is listed", () => {
    const old = encryptSecret("secret", "aad", [k1]);
    const rotated = [k2, k1];
    expect(decryptSecret(old, "aad", rotated)).toBe("secret");
    expect(needsReencryption(old, rotated)).toBe(true);
    const fresh = encryptSecret("secret", "aad", rotated);
    expect(fresh.keyId).toBe("k2");
    expect(needsReencryption(fresh, rotated)).toBe(false);
    expect(() => decryptSecret(old, "aad", [k2])).toThrow(/No encryption key "k1"/);
  });

  it("masks secrets for the browser", () => {
    expect(maskSecret("pk_live_9b1f3c5e7a2d4f6b8c0e1a3c5e7a1234")).toBe("pk_…1234");
    expect(maskSecret("d6f1a0b2c3e4f5a6b7c8d9e0f1a2b3c4")).toBe("…b3c4");
    expect(maskSecret("short")).toBe("…");
  });
});
