import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env.server";

/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV per value. Keys come from
 * ENCRYPTION_KEYS (newest first): values are sealed with the newest key and the key's id is
 * stored beside them, so older keys keep decrypting after a rotation. The associated data
 * binds a value to its owner (e.g. `shop:vendor`), so a ciphertext copied to another shop's
 * row does not decrypt there.
 */

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface SealedSecret {
  keyId: string;
  /** base64 of iv (12) ‖ auth tag (16) ‖ ciphertext. */
  ciphertext: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

function keys(): EncryptionKey[] {
  return env().ENCRYPTION_KEYS;
}

export function encryptSecret(
  plaintext: string,
  associatedData: string,
  keyring: EncryptionKey[] = keys(),
): SealedSecret {
  const current = keyring[0];
  if (!current) throw new Error("ENCRYPTION_KEYS is empty");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    keyId: current.id,
    ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64"),
  };
}

export function decryptSecret(
  sealed: SealedSecret,
  associatedData: string,
  keyring: EncryptionKey[] = keys(),
): string {
  const entry = keyring.find((k) => k.id === sealed.keyId);
  if (!entry) {
    throw new DecryptionError(
      `No encryption key "${sealed.keyId}" in ENCRYPTION_KEYS; keep retired keys listed until every secret is re-encrypted`,
    );
  }
  const raw = Buffer.from(sealed.ciphertext, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError("Stored secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", entry.key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new DecryptionError(
      "Stored secret does not decrypt with its key (tampered, or sealed for another owner)",
    );
  }
}

/** True when the value was sealed with a key other than the newest one. */
export function needsReencryption(
  sealed: SealedSecret,
  keyring: EncryptionKey[] = keys(),
): boolean {
  return keyring[0]?.id !== sealed.keyId;
}
