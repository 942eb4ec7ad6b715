/** The spans Home offers for the upsell's numbers (days, ending today in the shop's time). */
export const UPSELL_RANGES = [7, 30, 90, 365] as const;

/** The span a request asks for (`?upsellDays=`), 30 days unless it names one of UPSELL_RANGES. */
export function upsellRange(value: string | null): number {
  const days = Number(value);
  return (UPSELL_RANGES as readonly number[]).includes(days) ? days : 30;
}
