/**
 * A secret as the browser may see it: a recognisable prefix (up to the first "_", at most 3
 * characters) and the last 4 characters, e.g. `pk_…1234`. Short values show only "…".
 */
export function maskSecret(secret: string): string {
  const value = secret.trim();
  if (value.length < 12) return "…";
  const prefix = /^[A-Za-z]{1,3}_/.exec(value)?.[0] ?? "";
  return `${prefix}…${value.slice(-4)}`;
}
