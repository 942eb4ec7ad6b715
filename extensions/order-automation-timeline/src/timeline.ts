import type { OrderTimelineResponse } from "../../../app/shared/extension-contracts";

/** The app's GET /api/extensions/order-timeline, relative to its URL; the admin adds the ID token (Authorization: Bearer …) itself. */
export function timelineUrl(orderGid: string): string {
  return `/api/extensions/order-timeline?orderId=${encodeURIComponent(orderGid)}`;
}

export async function loadTimeline(
  orderGid: string,
  doFetch: typeof fetch = fetch,
): Promise<OrderTimelineResponse> {
  const response = await doFetch(timelineUrl(orderGid));
  const body = (await response.json().catch(() => ({}))) as Partial<OrderTimelineResponse> & {
    error?: string;
  };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body as OrderTimelineResponse;
}
