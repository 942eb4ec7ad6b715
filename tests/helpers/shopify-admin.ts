import { realFetch } from "./real-fetch";
import { Session } from "@shopify/shopify-api";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { resetAdminBudgets } from "../../app/integrations/shopify-admin/client.server";
import { sessionStorage } from "../../app/shopify.server";
import {
  sandboxAccessToken,
  startShopifyAdminFake,
  type ShopifyAdminFake,
  type ShopifyAdminFakeOptions,
} from "../../sandbox/fakes/shopify-admin";
import type { SandboxStore } from "../../sandbox/store/index";
import { shopifyFetch } from "./shopify";

const refuse = async (input: unknown) => {
  throw new Error(`unexpected network call in a test: ${String(input)}`);
};

/** While set, Admin API calls wait for it before they reach the fake (see holdShopifyAdmin). */
let held: { until: Promise<void>; release: () => void } | undefined;

function releaseHeld() {
  held?.release();
  held = undefined;
}

/**
 * Holds every Admin API call unanswered until the returned function is called. A test uses it
 * to pin the order of two jobs that otherwise race: e.g. a recipe run that must see the store
 * before a concurrent Admin lookup (sync-inventory-item) has filled the read model in.
 */
export function holdShopifyAdmin(): () => void {
  releaseHeld();
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  const hold = { until, release };
  held = hold;
  return () => {
    if (held === hold) held = undefined;
    release();
  };
}

/**
 * The sandbox's Admin GraphQL fake behind `unauthenticated.admin(shop)`: Shopify's library
 * calls https://<shop>/admin/api/…/graphql.json (and /admin/oauth/access_token, for token
 * exchange) through the stubbed fetch, which forwards it over loopback to the fake (schema
 * validation, query cost, throttling included).
 */
export function withShopifyAdminFake(
  store: () => SandboxStore | SandboxStore[],
  options: Omit<ShopifyAdminFakeOptions, "store"> = {},
): () => ShopifyAdminFake {
  let fake: ShopifyAdminFake | undefined;
  beforeAll(async () => {
    // Several stores: the first is the default, each answers its own shop's calls.
    const [first, ...more] = [store()].flat();
    fake = await startShopifyAdminFake({
      ...options,
      store: first,
      stores: [...(options.stores ?? []), ...more],
    });
    const forward = async (input: unknown, init?: RequestInit) => {
      const request = input instanceof Request ? input : undefined;
      const url = new URL(request ? request.url : String(input));
      // Bulk operation results: the fake serves the JSONL itself, as Shopify does from storage.
      if (url.origin === new URL(fake!.url).origin) return realFetch(url, init);
      const shopifyPath =
        url.pathname.startsWith("/admin/api/") || url.pathname === "/admin/oauth/access_token";
      if (!url.hostname.endsWith(".myshopify.com") || !shopifyPath) return refuse(url);
      await held?.until;
      const body = request ? await request.text() : (init?.body as string | undefined);
      const headers = new Headers(
        request ? request.headers : (init?.headers as HeadersInit | undefined),
      );
      headers.set("x-sandbox-shop", url.hostname);
      return realFetch(`${fake!.url}${url.pathname}${url.search}`, {
        method: request?.method ?? init?.method ?? "POST",
        headers,
        body,
      });
    };
    shopifyFetch.mockImplementation(forward as typeof refuse);
  });
  beforeEach(() => resetAdminBudgets());
  // A test that failed while holding must not leave the next one's Admin calls waiting.
  afterEach(releaseHeld);
  afterAll(async () => {
    releaseHeld();
    shopifyFetch.mockImplementation(refuse);
    await fake?.close();
  });
  return () => {
    if (!fake) throw new Error("Shopify Admin fake not started");
    return fake;
  };
}

/** An offline session whose token the Admin fake accepts for this shop. */
export async function storeOfflineSession(shop: string) {
  const session = new Session({ id: `offline_${shop}`, shop, state: "test", isOnline: false });
  session.accessToken = sandboxAccessToken(shop);
  session.scope =
    "read_orders,write_orders,read_products,read_inventory,read_customers,write_customers";
  session.expires = new Date(Date.now() + 7 * 86_400_000);
  await sessionStorage.storeSession(session);
}
