/**
 * The Admin fake's app billing (Shopify's Billing API, shaped by the Admin SDL): subscriptions
 * with a recurring and a usage line, their status, and usage records that honour the
 * idempotency key and the usage line's capped amount. State lives on the store, so a sandbox
 * restart keeps the shop's plan.
 */

export type FakeSubscriptionStatus =
  "PENDING" | "ACTIVE" | "DECLINED" | "CANCELLED" | "FROZEN" | "EXPIRED";

export interface FakeUsageRecord {
  id: number;
  lineItemId: number;
  idempotencyKey: string | null;
  description: string;
  amount: string;
  currencyCode: string;
  createdAt: string;
}

export interface FakeSubscription {
  id: number;
  name: string;
  status: FakeSubscriptionStatus;
  test: boolean;
  trialDays: number;
  returnUrl: string;
  createdAt: string;
  currentPeriodEnd: string | null;
  /** When the merchant approved it: usage periods of 30 days count from here. */
  activatedAt?: string;
  lineItems: (
    | { id: number; kind: "recurring"; amount: string; currencyCode: string; interval: string }
    | { id: number; kind: "usage"; cappedAmount: string; currencyCode: string; terms: string }
  )[];
}

export interface FakeBilling {
  nextId: number;
  subscriptions: FakeSubscription[];
  usageRecords: FakeUsageRecord[];
}

export function billingOf(holder: { billing?: FakeBilling }): FakeBilling {
  holder.billing ??= { nextId: 1, subscriptions: [], usageRecords: [] };
  return holder.billing;
}

const money = (amount: string | number, currencyCode: string) => ({
  amount: Number(amount).toFixed(1).replace(/\.0$/, ".0"),
  currencyCode,
});

/** Start of the 30-day usage period `now` falls in, counted from the approval. */
function usagePeriodStart(subscription: FakeSubscription, now: Date): number {
  const activated = Date.parse(subscription.activatedAt ?? subscription.createdAt);
  const period = 30 * 86_400_000;
  return activated + Math.floor(Math.max(0, now.getTime() - activated) / period) * period;
}

/** A subscription as the SDL's AppSubscription; `balanceUsed` counts this period's usage records. */
export function appSubscriptionNode(
  s: FakeSubscription,
  usageRecords: readonly FakeUsageRecord[] = [],
  now = new Date(),
) {
  const since = usagePeriodStart(s, now);
  return {
    __typename: "AppSubscription",
    id: `gid://shopify/AppSubscription/${s.id}`,
    name: s.name,
    status: s.status,
    test: s.test,
    trialDays: s.trialDays,
    returnUrl: s.returnUrl,
    createdAt: s.createdAt,
    currentPeriodEnd: s.currentPeriodEnd,
    lineItems: s.lineItems.map((line) => ({
      id: `gid://shopify/AppSubscriptionLineItem/${line.id}?v=1&index=${s.lineItems.indexOf(line)}`,
      plan: {
        pricingDetails:
          line.kind === "recurring"
            ? {
                __typename: "AppRecurringPricing",
                price: money(line.amount, line.currencyCode),
                interval: line.interval,
                discount: null,
              }
            : {
                __typename: "AppUsagePricing",
                balanceUsed: money(
                  usageRecords
                    .filter((r) => r.lineItemId === line.id && Date.parse(r.createdAt) >= since)
                    .reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0) / 100,
                  line.currencyCode,
                ),
                cappedAmount: money(line.cappedAmount, line.currencyCode),
                terms: line.terms,
              },
      },
    })),
  };
}

interface LineItemInput {
  plan: {
    appRecurringPricingDetails?: {
      price: { amount: string | number; currencyCode: string };
      interval?: string;
    };
    appUsagePricingDetails?: {
      cappedAmount: { amount: string | number; currencyCode: string };
      terms: string;
    };
  };
}

/** appSubscriptionCreate: a PENDING subscription the merchant approves on `confirmationUrl`. */
export function createSubscription(
  billing: FakeBilling,
  args: {
    name: string;
    returnUrl: string;
    trialDays?: number | null;
    test?: boolean | null;
    lineItems: LineItemInput[];
  },
  now: Date,
  confirmationUrl: (id: number) => string,
) {
  if (!args.name.trim())
    return userError(["name"], "Name can't be blank", {
      appSubscription: null,
      confirmationUrl: null,
    });
  const subscription: FakeSubscription = {
    id: billing.nextId++,
    name: args.name,
    status: "PENDING",
    test: args.test ?? false,
    trialDays: args.trialDays ?? 0,
    returnUrl: args.returnUrl,
    createdAt: now.toISOString(),
    currentPeriodEnd: null,
    lineItems: args.lineItems.map((item) => {
      const recurring = item.plan.appRecurringPricingDetails;
      const usage = item.plan.appUsagePricingDetails;
      return recurring
        ? {
            id: billing.nextId++,
            kind: "recurring" as const,
            amount: String(recurring.price.amount),
            currencyCode: recurring.price.currencyCode,
            interval: recurring.interval ?? "EVERY_30_DAYS",
          }
        : {
            id: billing.nextId++,
            kind: "usage" as const,
            cappedAmount: String(usage!.cappedAmount.amount),
            currencyCode: usage!.cappedAmount.currencyCode,
            terms: usage!.terms,
          };
    }),
  };
  billing.subscriptions.push(subscription);
  return {
    appSubscription: appSubscriptionNode(subscription, [], now),
    confirmationUrl: confirmationUrl(subscription.id),
    userErrors: [],
  };
}

/**
 * The merchant's answer on the confirmation page. Approving activates the subscription and,
 * as Shopify does, cancels the shop's other active one (one active subscription per app).
 */
export function answerSubscription(
  billing: FakeBilling,
  id: number,
  approve: boolean,
  now: Date,
): FakeSubscription[] {
  const subscription = billing.subscriptions.find((s) => s.id === id);
  if (!subscription || subscription.status !== "PENDING") return [];
  const changed = [subscription];
  if (approve) {
    for (const other of billing.subscriptions)
      if (other.status === "ACTIVE") {
        other.status = "CANCELLED";
        changed.push(other);
      }
    subscription.status = "ACTIVE";
    subscription.activatedAt = now.toISOString();
    subscription.currentPeriodEnd = new Date(
      now.getTime() + (subscription.trialDays + 30) * 86_400_000,
    ).toISOString();
  } else subscription.status = "DECLINED";
  return changed;
}

/**
 * A subscription created and approved at once, as the merchant's approval on the confirmation
 * page leaves it (the demo's starting plan). Returns the subscriptions whose status changed, for
 * the `app_subscriptions/update` webhooks the approval sends.
 */
export function approvedSubscription(
  billing: FakeBilling,
  args: Parameters<typeof createSubscription>[1],
  now: Date,
): FakeSubscription[] {
  const created = createSubscription(billing, args, now, () => "");
  const id = created.appSubscription?.id;
  if (!id) throw new Error(`could not create the ${args.name} subscription`);
  return answerSubscription(billing, Number(id.split("/").pop()), true, now);
}

export function cancelSubscription(billing: FakeBilling, gid: string, now: Date) {
  const id = Number(/\/AppSubscription\/(\d+)/.exec(gid)?.[1]);
  const subscription = billing.subscriptions.find((s) => s.id === id);
  if (!subscription || subscription.status !== "ACTIVE")
    return userError(["id"], "Subscription not found or not active", { appSubscription: null });
  subscription.status = "CANCELLED";
  return {
    appSubscription: appSubscriptionNode(subscription, billing.usageRecords, now),
    userErrors: [],
  };
}

export function activeSubscriptions(billing: FakeBilling | undefined, now: Date) {
  return (billing?.subscriptions ?? [])
    .filter((s) => s.status === "ACTIVE")
    .map((s) => appSubscriptionNode(s, billing?.usageRecords, now));
}

/**
 * appUsageRecordCreate on an active subscription's usage line. A key seen before returns the
 * record made then (no second charge); a charge that would take the 30-day period past the
 * capped amount is refused with Shopify's user error.
 */
export function createUsageRecord(
  billing: FakeBilling,
  args: {
    subscriptionLineItemId: string;
    price: { amount: string | number; currencyCode: string };
    description: string;
    idempotencyKey?: string | null;
  },
  now: Date,
) {
  const lineId = Number(/\/AppSubscriptionLineItem\/(\d+)/.exec(args.subscriptionLineItemId)?.[1]);
  const subscription = billing.subscriptions.find((s) => s.lineItems.some((l) => l.id === lineId));
  const line = subscription?.lineItems.find((l) => l.id === lineId);
  const none = { appUsageRecord: null };
  if (!subscription || !line || line.kind !== "usage")
    return userError(["subscriptionLineItemId"], "Subscription line item not found", none);
  if (subscription.status !== "ACTIVE")
    return userError(["subscriptionLineItemId"], "Subscription is not active", none);
  const node = (r: FakeUsageRecord) => ({
    appUsageRecord: {
      id: `gid://shopify/AppUsageRecord/${r.id}`,
      description: r.description,
      idempotencyKey: r.idempotencyKey,
      createdAt: r.createdAt,
      price: money(r.amount, r.currencyCode),
    },
    userErrors: [],
  });
  if (args.idempotencyKey) {
    const seen = billing.usageRecords.find(
      (r) => r.lineItemId === lineId && r.idempotencyKey === args.idempotencyKey,
    );
    if (seen) return node(seen);
  }
  if (args.price.currencyCode !== line.currencyCode)
    return userError(["price"], `Currency must be ${line.currencyCode}`, none);
  const periodStart = usagePeriodStart(subscription, now);
  const spent = billing.usageRecords
    .filter((r) => r.lineItemId === lineId && Date.parse(r.createdAt) >= periodStart)
    .reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0);
  if (
    spent + Math.round(Number(args.price.amount) * 100) >
    Math.round(Number(line.cappedAmount) * 100)
  )
    return userError(["price"], "Total price exceeds balance remaining", none);
  const record: FakeUsageRecord = {
    id: billing.nextId++,
    lineItemId: lineId,
    idempotencyKey: args.idempotencyKey ?? null,
    description: args.description,
    amount: String(args.price.amount),
    currencyCode: args.price.currencyCode,
    createdAt: now.toISOString(),
  };
  billing.usageRecords.push(record);
  return node(record);
}

function userError<T extends object>(field: string[], message: string, empty: T) {
  return { ...empty, userErrors: [{ field, message }] };
}
