/** Webhook event statuses, shared by the Activity screen and its server queries. */
export const EVENT_STATUSES = ["received", "processed", "rejected", "failed", "ignored"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
