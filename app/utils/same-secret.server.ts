import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a secret someone sent equals the expected one, in constant time: both are hashed first,
 * so the comparison has a fixed length and takes the same time whatever was sent.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
