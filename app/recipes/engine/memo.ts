import type { ShopifyId } from "../../utils/shopify-id";

/** Memoizes async lookups by key for one evaluation (every recipe of an event shares it). */
export class Memo {
  private readonly values = new Map<string, Promise<unknown>>();
  set(key: string, value: unknown) {
    this.values.set(key, Promise.resolve(value));
  }
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.values.set(key, value);
    }
    return value;
  }
}

/**
 * The keys of the lookups the prefetch seeds: the seed and the lookup must spell them alike, or a
 * seeded answer is missed and read again.
 */
export const memoKey = {
  order: (id: ShopifyId) => `order:${id}`,
  customer: (id: ShopifyId) => `customer:${id}`,
  fulfillment: (id: ShopifyId) => `fulfillment:${id}`,
  variantsOfItem: (inventoryItemId: ShopifyId) => `variants-of-item:${inventoryItemId}`,
  cachedAvailable: (inventoryItemId: ShopifyId) => `cached-available:${inventoryItemId}`,
  state: (recipeId: string, subject: string) => `state:${recipeId}:${subject}`,
  ticket: (email: string) => `ticket:${email.toLowerCase()}`,
  /** The customer id as the row or the recipe gives it; the email trimmed and lower-cased, if any. */
  guardFacts: (customerId: unknown, email: string | null | undefined) =>
    `guard-facts:${customerId}:${email}`,
};
