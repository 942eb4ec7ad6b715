/** The app's GET /api/extensions/order-timeline answer (app/models/order-timeline.server.ts). */
export interface TimelineDelivery {
  key: string;
  vendor: "klaviyo" | "gorgias";
  operation: string;
  status: "queued" | "succeeded" | "dead";
  attempts: number;
  lastError: string | null;
  at: string;
  completedAt: string | null;
}

export interface TimelineAction {
  kind: string;
  channel: string;
  summary: string;
  status: "requested" | "already-requested" | "capped" | "suppressed" | "skipped" | "decided" | "would-request";
  reason: string | null;
  delivery: TimelineDelivery | null;
}

export interface TimelineRun {
  id: number;
  recipeId: string;
  recipeTitle?: string;
  trigger: string;
  outcome: "acted" | "scheduled" | "skipped" | "blocked" | "failed";
  reasons: string[];
  actions: TimelineAction[];
  at: string;
}

export interface OrderTimeline {
  order: { id: number; name: string } | null;
  runs: TimelineRun[];
  otherDeliveries: TimelineDelivery[];
  counts: { runs: number; delivered: number; failed: number; heldBack: number };
  activityPath: string;
}

/** Relative to the app's URL; the admin adds the ID token (Authorization: Bearer …) itself. */
export function timelineUrl(orderGid: string): string {
  return `/api/extensions/order-timeline?orderId=${encodeURIComponent(orderGid)}`;
}

export async function loadTimeline(orderGid: string, doFetch: typeof fetch = fetch): Promise<OrderTimeline> {
  const response = await doFetch(timelineUrl(orderGid));
  const body = (await response.json().catch(() => ({}))) as Partial<OrderTimeline> & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body as OrderTimeline;
}
