import type { AdminMutationEvent, ShopifyAdminFake } from "./fakes/shopify-admin";
import type { GorgiasFake } from "./fakes/gorgias";
import type { KlaviyoFake } from "./fakes/klaviyo";
import type { RecordedRequest } from "./fakes/common";
import type { FeedEntry, StoreDaySimulator } from "./simulator";

/**
 * What the sandbox inbox page shows: what each fake received from the app, newest first, and
 * what the simulator sent. Plain JSON, bounded, and free of credentials (the fakes redact
 * authorization headers; only paths, statuses and bodies' gist are listed).
 */
export interface InboxSources {
  klaviyo?: KlaviyoFake;
  gorgias?: GorgiasFake;
  shopify?: ShopifyAdminFake;
  simulator?: StoreDaySimulator;
  /** Tag changes the app made through the Admin API fake. */
  mutations?: AdminMutationEvent[];
}

const LIMIT = 60;
const newest = <T>(items: readonly T[], limit = LIMIT): T[] => items.slice(-limit).reverse();

const request = (r: RecordedRequest) => ({
  at: r.at,
  method: r.method,
  path: r.path,
  status: r.status,
});

export function buildInbox(sources: InboxSources) {
  const klaviyo = sources.klaviyo;
  const account = klaviyo?.snapshot().accounts[0];
  const gorgias = sources.gorgias;
  const shopify = sources.shopify;
  return {
    generatedAt: new Date().toISOString(),
    simulator: sources.simulator
      ? {
          status: sources.simulator.status(),
          feed: sources.simulator.feed(LIMIT) satisfies FeedEntry[],
        }
      : null,
    klaviyo: klaviyo
      ? {
          account: account?.account.name ?? null,
          profiles: account?.profiles.length ?? 0,
          events: newest(account?.events ?? []).map((e) => ({
            time: e.time,
            received: e.received,
            metric: e.metricName,
            profile: account?.profiles.find((p) => p.id === e.profileId)?.email ?? e.profileId,
            value: e.value,
            uniqueId: e.unique_id,
          })),
          duplicateEvents: account?.duplicateEvents.length ?? 0,
          lists: (account?.lists ?? []).map((l) => ({
            name: l.name,
            members: l.profileIds.length,
          })),
          requests: newest(klaviyo.received).map(request),
        }
      : null,
    gorgias: gorgias
      ? {
          tickets: newest(gorgias.state.tickets).map((t) => ({
            id: t.id,
            status: t.status,
            subject: t.subject,
            customer: t.customer.email,
            channel: t.channel,
            tags: t.tags.map((tag) => tag.name),
            messages: t.messages.length,
          })),
          callsToApp: newest(gorgias.state.outgoing).map((c) => ({
            at: c.at,
            trigger: c.trigger,
            ticketId: c.ticketId,
            outcome: c.outcome,
            status: c.status,
            error: c.error ?? null,
          })),
          requests: newest(gorgias.received).map(request),
        }
      : null,
    shopify: shopify
      ? {
          mutations: newest(sources.mutations ?? []),
          operations: newest(shopify.operations()).map((o) => ({
            at: o.at,
            operation: o.operationName,
            status: o.status,
            cost: o.actualQueryCost ?? o.requestedQueryCost,
            errors: o.errorCodes,
          })),
        }
      : null,
  };
}

export type Inbox = ReturnType<typeof buildInbox>;
