/** Money is kept as decimal strings ("19.00"), computed in integer cents. */

export function toCents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

export function fromCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Converts shop-currency cents into presentment cents at `rate` (presentment units per shop unit). */
export function convertCents(cents: number, rate: number): number {
  return Math.round(cents * rate);
}
