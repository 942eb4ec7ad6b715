import type { AdminOperations } from "@shopify/admin-api-client";
import { unauthenticated } from "../../shopify.server";

/**
 * Admin GraphQL calls made by the recipes (live stock, product facts, tagsAdd) through
 * `unauthenticated.admin(shop)`, with a memory of each shop's query-cost bucket. Shopify meters
 * every shop's calls from all apps' perspective per app: a leaky bucket (e.g. 2,000 points,
 * restoring 100/s) reported in `extensions.cost.throttleStatus` of every answer. Optional reads
 * (a stock check that has a cached answer) are skipped when they would leave less than a
 * reserve, so tags, inventory lookups and the merchant's own tools keep their share.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Bucket extends ThrottleStatus {
  at: number;
}

declare global {
  var __switchboardAdminBuckets: Map<string, Bucket> | undefined;
}

function buckets(): Map<string, Bucket> {
  globalThis.__switchboardAdminBuckets ??= new Map();
  return globalThis.__switchboardAdminBuckets;
}

/** What we last heard of the shop's bucket, restored to now. undefined: never asked. */
export function projectedBudget(shop: string, now = performance.now()): ThrottleStatus | undefined {
  const bucket = buckets().get(shop);
  if (!bucket) return undefined;
  const restored = Math.min(
    bucket.maximumAvailable,
    bucket.currentlyAvailable + ((now - bucket.at) / 1000) * bucket.restoreRate,
  );
  return {
    maximumAvailable: bucket.maximumAvailable,
    currentlyAvailable: restored,
    restoreRate: bucket.restoreRate,
  };
}

export function rememberThrottleStatus(
  shop: string,
  status: Partial<ThrottleStatus> | undefined,
  now = performance.now(),
) {
  const { maximumAvailable, currentlyAvailable, restoreRate } = status ?? {};
  if (
    typeof maximumAvailable === "number" &&
    typeof currentlyAvailable === "number" &&
    typeof restoreRate === "number"
  ) {
    buckets().set(shop, { maximumAvailable, currentlyAvailable, restoreRate, at: now });
  }
}

/** Forget every shop's bucket (tests). */
export function resetAdminBudgets() {
  buckets().clear();
}

export type AdminFailure =
  "throttled" | "budget" | "no-session" | "graphql" | "http" | "unreachable";

export class AdminRequestError extends Error {
  constructor(
    readonly failure: AdminFailure,
    message: string,
    readonly retryAfterSeconds?: number,
    /** The HTTP status, when an answer came. */
    readonly status: number | null = failure === "unreachable" ||
    failure === "no-session" ||
    failure === "budget"
      ? null
      : 200,
  ) {
    super(message);
    this.name = "AdminRequestError";
  }
}

/**
 * The app's Admin documents, keyed by their text: app/types/admin.generated.d.ts (written by
 * `npm run graphql:codegen`, ADR 017) adds each `#graphql` document to Shopify's AdminQueries /
 * AdminMutations maps, so a call site's data and variables types follow from its document.
 */
export type AdminDocument = keyof AdminOperations & string;
export type AdminData<D extends AdminDocument> = AdminOperations[D]["return"];
export type AdminVariables<D extends AdminDocument> = AdminOperations[D]["variables"];

export interface AdminResult<T> {
  data: T;
  requestedCost: number | null;
  actualCost: number | null;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

interface CostShape {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: Partial<ThrottleStatus>;
}

/**
 * One Admin GraphQL request for `shop`. `optional` reads check the remembered budget first and
 * refuse (failure "budget") rather than spend below the reserve.
 */
export async function adminRequest<D extends AdminDocument>(
  shop: string,
  document: D,
  variables: AdminVariables<D>,
  options: { estimatedCost: number; optional?: boolean },
): Promise<AdminResult<AdminData<D>>> {
  if (options.optional) {
    const budget = projectedBudget(shop);
    if (budget) {
      const reserve = Math.max(50, budget.maximumAvailable * 0.1);
      if (budget.currentlyAvailable < options.estimatedCost + reserve) {
        throw new AdminRequestError(
          "budget",
          `Shopify API budget is low (${Math.floor(budget.currentlyAvailable)} of ${budget.maximumAvailable} points); kept for other work`,
        );
      }
    }
  }
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shop));
  } catch (error) {
    throw new AdminRequestError(
      "no-session",
      `no Shopify access for this shop (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let body: { data?: AdminData<D>; errors?: unknown; extensions?: { cost?: CostShape } };
  try {
    const response = await admin.graphql(document, { variables });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw classify(shop, error);
  }
  rememberThrottleStatus(shop, body.extensions?.cost?.throttleStatus);
  const errors = Array.isArray(body.errors) ? (body.errors as GraphQLErrorShape[]) : [];
  if (errors.length > 0) throw graphqlError(errors);
  return {
    data: body.data as AdminData<D>,
    requestedCost: body.extensions?.cost?.requestedQueryCost ?? null,
    actualCost: body.extensions?.cost?.actualQueryCost ?? null,
  };
}

function graphqlError(errors: GraphQLErrorShape[]): AdminRequestError {
  const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
  const message = errors.map((e) => e.message).join("; ");
  return new AdminRequestError(
    throttled ? "throttled" : "graphql",
    throttled
      ? `Shopify throttled the request: ${message}`
      : `Shopify rejected the request: ${message}`,
    throttled ? 2 : undefined,
  );
}

/** The library throws on GraphQL errors and HTTP failures; turn those into our failures. */
function classify(shop: string, error: unknown): AdminRequestError {
  const e = error as {
    name?: string;
    message?: string;
    body?: { errors?: { graphQLErrors?: GraphQLErrorShape[] }; extensions?: { cost?: CostShape } };
    response?: { code?: number; status?: number };
    retryAfter?: number;
  };
  rememberThrottleStatus(shop, e.body?.extensions?.cost?.throttleStatus);
  const graphQLErrors = e.body?.errors?.graphQLErrors;
  if (Array.isArray(graphQLErrors) && graphQLErrors.length > 0) return graphqlError(graphQLErrors);
  const status = e.response?.code ?? e.response?.status;
  if (e.name === "HttpThrottlingError" || status === 429)
    return new AdminRequestError(
      "throttled",
      `Shopify throttled the request`,
      e.retryAfter ?? 2,
      429,
    );
  if (typeof status === "number")
    return new AdminRequestError(
      "http",
      `Shopify answered ${status}: ${e.message ?? ""}`.trim(),
      undefined,
      status,
    );
  return new AdminRequestError(
    "unreachable",
    `Shopify could not be reached: ${e.message ?? String(error)}`,
  );
}
