import type { OrderTimelineResponse } from "../../../app/shared/extension-contracts";

/**
 * The app's GET /api/extensions/order-timeline, relative to its URL; the admin adds the ID token
 * (Authorization: Bearer …) itself. `locale` is the language the block speaks (its locales'
 * own "locale" key), so the app names recipes in it.
 */
export function timelineUrl(orderGid: string, locale: string): string {
  return `/api/extensions/order-timeline?orderId=${encodeURIComponent(orderGid)}&locale=${encodeURIComponent(locale)}`;
}

export async function loadTimeline(
  orderGid: string,
  locale: string,
  doFetch: typeof fetch = fetch,
): Promise<OrderTimelineResponse> {
  const response = await doFetch(timelineUrl(orderGid, locale));
  const body = (await response.json().catch(() => ({}))) as Partial<OrderTimelineResponse> & {
    error?: string;
  };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body as OrderTimelineResponse;
}
