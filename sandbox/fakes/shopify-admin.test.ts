import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxStore, gids, indexStore, totalAvailable } from "../store/index";
import {
  INVALID_TOKEN_BODY,
  SANDBOX_ACCESS_TOKEN,
  loadAdminSchema,
  sandboxAccessToken,
  startShopifyAdminFake,
  validateAdminDocument,
  type ShopifyAdminFake,
} from "./shopify-admin";
import { mintSessionToken } from "../session-token";

const SHOP_QUERY = /* GraphQL */ `
  query ShopDetails {
    shop {
      name
      currencyCode
      myshopifyDomain
      plan {
        displayName
      }
    }
  }
`;

const INVENTORY_QUERY = /* GraphQL */ `
  query VariantStock($id: ID!) {
    productVariant(id: $id) {
      id
      sku
      price
      inventoryQuantity
      product {
        id
        title
        handle
        tags
        featuredMedia {
          ... on MediaImage {
            image {
              url
            }
          }
        }
      }
      inventoryItem {
        id
        inventoryLevels(first: 5) {
          edges {
            node {
              location {
                id
                name
              }
              quantities(names: ["available", "on_hand", "committed", "incoming", "reserved"]) {
                name
                quantity
              }
            }
          }
        }
      }
    }
  }
`;

const ORDER_QUERY = /* GraphQL */ `
  query OrderById($id: ID!) {
    order(id: $id) {
      id
      name
      tags
      displayFinancialStatus
      totalPriceSet {
        shopMoney {
          amount
          currencyCode
        }
        presentmentMoney {
          amount
          currencyCode
        }
      }
      customer {
        id
        email
        numberOfOrders
      }
      lineItems(first: 10) {
        nodes {
          sku
          quantity
          variant {
            id
          }
        }
      }
    }
  }
`;

const TAGS_ADD = /* GraphQL */ `
  mutation AddTags($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

let fake: ShopifyAdminFake;

beforeAll(async () => {
  fake = await startShopifyAdminFake();
});

afterAll(async () => {
  await fake.close();
});

describe("Admin GraphQL fake: queries backed by the store", () => {
  it("builds the 2025-04 schema once and reports how long it took", () => {
    expect(fake.schemaBuildMs).toBeGreaterThan(0);
    expect(loadAdminSchema()).toBe(loadAdminSchema());
    expect(loadAdminSchema().schema.getQueryType()?.name).toBe("QueryRoot");
  });

  it("answers the shop query", async () => {
    const { status, body } = await fake.graphql(SHOP_QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.shop).toEqual({
      name: "Switchboard Sandbox",
      currencyCode: "USD",
      myshopifyDomain: "switchboard-sandbox.myshopify.com",
      plan: { displayName: "Shopify" },
    });
  });

  it("answers an inventory query with the store's numbers", async () => {
    const variant = fake.store.variants.find(
      (v) => totalAvailable(fake.store, v.inventoryItemId) <= 2,
    )!;
    const { body } = await fake.graphql(INVENTORY_QUERY, { id: gids.variant(variant.id) });
    expect(body.errors).toBeUndefined();
    const result = body.data.productVariant;
    expect(result.sku).toBe(variant.sku);
    expect(result.price).toBe(variant.price);
    expect(result.inventoryQuantity).toBe(totalAvailable(fake.store, variant.inventoryItemId));
    const levels = indexStore(fake.store).levelsByItem.get(variant.inventoryItemId)!;
    const edges = result.inventoryItem.inventoryLevels.edges as {
      node: {
        location: { id: string; name: string };
        quantities: { name: string; quantity: number }[];
      };
    }[];
    expect(edges).toHaveLength(2);
    for (const { node } of edges) {
      const level = levels.find((l) => gids.location(l.locationId) === node.location.id)!;
      expect(Object.fromEntries(node.quantities.map((q) => [q.name, q.quantity]))).toEqual({
        available: level.quantities.available,
        on_hand: level.quantities.on_hand,
        committed: level.quantities.committed,
        incoming: level.quantities.incoming,
        reserved: level.quantities.reserved,
      });
    }
    const product = indexStore(fake.store).products.get(variant.productId)!;
    expect(result.product).toMatchObject({
      id: gids.product(product.id),
      title: product.title,
      handle: product.handle,
      tags: product.tags,
    });
    expect(result.product.featuredMedia.image.url).toBe(product.images[0]!.url);
  });

  it("answers an order query with totals in MoneyBag form and the customer", async () => {
    const order = fake.store.orders.find(
      (o) => o.presentmentCurrency === "CAD" && o.customerId !== null,
    )!;
    const { body } = await fake.graphql(ORDER_QUERY, { id: gids.order(order.id) });
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toMatchObject({
      id: gids.order(order.id),
      name: order.name,
      displayFinancialStatus: order.financialStatus.toUpperCase(),
      totalPriceSet: {
        shopMoney: { currencyCode: "USD" },
        presentmentMoney: { currencyCode: "CAD" },
      },
      customer: { id: gids.customer(order.customerId!) },
    });
    expect(Number(body.data.order.totalPriceSet.shopMoney.amount)).toBe(
      Number(order.totals.total.shop),
    );
    expect(body.data.order.lineItems.nodes.map((l: { sku: string }) => l.sku)).toEqual(
      order.lineItems.map((l) => l.sku),
    );
  });

  it("answers customer(id:) and inventoryItem(id:) from the store", async () => {
    const customer = fake.store.customers.find((c) => c.tags.includes("vip"))!;
    const item = fake.store.inventoryItems[3]!;
    const { body } = await fake.graphql(
      `query Lookups($customer: ID!, $item: ID!) {
        customer(id: $customer) {
          id email firstName lastName tags numberOfOrders amountSpent { amount currencyCode }
          emailMarketingConsent { marketingState marketingOptInLevel }
          orders(first: 50) { nodes { name } }
        }
        inventoryItem(id: $item) { id sku tracked variant { id } }
      }`,
      { customer: gids.customer(customer.id), item: gids.inventoryItem(item.id) },
    );
    expect(body.errors).toBeUndefined();
    const ownOrders = indexStore(fake.store).ordersByCustomer.get(customer.id)!;
    expect(body.data.customer).toMatchObject({
      id: gids.customer(customer.id),
      email: customer.email,
      tags: customer.tags,
      numberOfOrders: String(ownOrders.length),
      amountSpent: { currencyCode: "USD" },
      emailMarketingConsent: { marketingState: customer.emailMarketingConsent.state.toUpperCase() },
    });
    expect(Number(body.data.customer.amountSpent.amount)).toBeGreaterThanOrEqual(600);
    expect(body.data.customer.orders.nodes.map((o: { name: string }) => o.name)).toEqual(
      ownOrders.map((o) => o.name),
    );
    expect(body.data.inventoryItem).toEqual({
      id: gids.inventoryItem(item.id),
      sku: item.sku,
      tracked: true,
      variant: { id: gids.variant(item.variantId) },
    });
  });

  it("resolves node and nodes for each supported type, null for unknown ids", async () => {
    const s = fake.store;
    const ids = [
      gids.variant(s.variants[0]!.id),
      gids.product(s.products[0]!.id),
      gids.inventoryItem(s.inventoryItems[0]!.id),
      gids.order(s.orders[0]!.id),
      gids.customer(s.customers[0]!.id),
      "gid://shopify/Order/1",
    ];
    const { body } = await fake.graphql(
      `query Nodes($ids: [ID!]!) {
        nodes(ids: $ids) {
          __typename
          id
          ... on ProductVariant { sku }
          ... on Product { handle }
          ... on InventoryItem { variant { id } }
          ... on Order { name }
          ... on Customer { email }
        }
      }`,
      { ids },
    );
    expect(body.errors).toBeUndefined();
    expect(
      body.data.nodes.map((n: { __typename: string } | null) => n?.__typename ?? null),
    ).toEqual(["ProductVariant", "Product", "InventoryItem", "Order", "Customer", null]);
    expect(body.data.nodes[2].variant.id).toBe(gids.variant(s.inventoryItems[0]!.variantId));
    expect(body.data.nodes[3].name).toBe("#1001");
    expect(body.extensions.cost.requestedQueryCost).toBe(ids.length * 2);
  });

  it("pages through products and variants with cursors and search queries", async () => {
    const page1 = await fake.graphql(
      `{ products(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(page1.body.data.products.edges).toHaveLength(10);
    expect(page1.body.data.products.pageInfo.hasNextPage).toBe(true);
    const page2 = await fake.graphql(
      `query Next($after: String) { products(first: 25, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } }`,
      {
        after: page1.body.data.products.pageInfo.endCursor,
      },
    );
    expect(page2.body.data.products.nodes).toHaveLength(20);
    expect(page2.body.data.products.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(page2.body.data.products.nodes[0].id).toBe(gids.product(fake.store.products[10]!.id));

    const coffee = await fake.graphql(
      `{ products(first: 50, query: "product_type:Coffee tag:organic") { nodes { title productType tags } } }`,
    );
    const expected = fake.store.products
      .filter((p) => p.productType === "Coffee" && p.tags.includes("organic"))
      .map((p) => p.title);
    expect(coffee.body.data.products.nodes.map((p: { title: string }) => p.title)).toEqual(
      expected,
    );

    const sku = fake.store.variants[5]!.sku;
    const variants = await fake.graphql(
      `query BySku($q: String) { productVariants(first: 5, query: $q) { nodes { sku } } }`,
      { q: `sku:${sku}` },
    );
    expect(variants.body.data.productVariants.nodes).toEqual([{ sku }]);

    const missing = await fake.graphql(`{ products { nodes { id } } }`);
    expect(missing.body.errors[0].message).toBe("you must provide one of first or last");
  });
});

describe("Admin GraphQL fake: validation in Shopify's words", () => {
  it("rejects an unknown field like Shopify does, without executing or charging", async () => {
    const before = fake.throttleStatus();
    const { status, body } = await fake.graphql(`query Broken { shop { name nam } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'nam' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 28 }],
        path: ["query Broken", "shop", "nam"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nam" },
      },
    ]);
    expect(fake.throttleStatus().currentlyAvailable).toBeGreaterThanOrEqual(
      before.currentlyAvailable,
    );
  });

  it("reports missing arguments, bad variables and parse errors", async () => {
    const missing = await fake.graphql(`{ productVariant { id } }`);
    expect(missing.body.errors[0]).toMatchObject({
      message: "Field 'productVariant' is missing required arguments: id",
      extensions: { code: "missingRequiredArguments" },
    });
    const unused = await fake.graphql(`query Q($id: ID!) { shop { name } }`, { id: "x" });
    expect(unused.body.errors[0]).toMatchObject({
      message: "Variable $id is declared by Q but not used",
      extensions: { code: "variableNotUsed" },
    });
    const noVariable = await fake.graphql(`query Q($id: ID!) { order(id: $id) { id } }`, {});
    expect(noVariable.body.errors[0]).toMatchObject({
      message: "Variable $id of type ID! was provided invalid value",
      extensions: { code: "INVALID_VARIABLE" },
    });
    const scalar = await fake.graphql(`{ shop { name { x } } }`);
    expect(scalar.body.errors[0].message).toBe(
      "Selections can't be made on scalars (field 'name' returns String but has selections [x])",
    );
    const parse = await fake.graphql(`{ shop { name }} }`);
    expect(parse.body.errors[0].message).toBe('Parse error on "}" (RCURLY) at [1, 18]');
  });

  it("validateAdminDocument checks app documents without HTTP", () => {
    expect(validateAdminDocument(SHOP_QUERY)).toEqual([]);
    expect(validateAdminDocument(INVENTORY_QUERY)).toEqual([]);
    expect(validateAdminDocument(TAGS_ADD)).toEqual([]);
    const errors = validateAdminDocument(
      `query { order(id: "gid://shopify/Order/1") { totalPriceSet { shopMoney { amount } } retailLocationX } }`,
    );
    expect(errors.map((e) => e.message)).toEqual([
      "Field 'retailLocationX' doesn't exist on type 'Order'",
    ]);
    expect(errors[0]!.extensions.code).toBe("undefinedField");
  });

  it("accepts newer fields only where a since-marker declares them", async () => {
    const undeclared = `query { fulfillment(id: "gid://shopify/Fulfillment/1") { id carrierPickedUpAt } }`;
    expect(validateAdminDocument(undeclared).map((e) => e.message)).toEqual([
      "Field 'carrierPickedUpAt' doesn't exist on type 'Fulfillment'",
    ]);
    const declared = `# since 2025-10: Fulfillment.carrierPickedUpAt: DateTime\n${undeclared}`;
    expect(validateAdminDocument(declared)).toEqual([]);
    expect(
      validateAdminDocument(
        `# since 2025-10: FulfillmentEventStatus.CARRIER_PICKED_UP\nquery { shop { name } }`,
      ),
    ).toEqual([]);
    // The declared field is validated like any other: no sub-selection on a scalar.
    expect(
      validateAdminDocument(declared.replace("carrierPickedUpAt", "carrierPickedUpAt { x }"))
        .length,
    ).toBe(1);
    // Stale, malformed or out-of-range markers are errors.
    expect(
      validateAdminDocument(`# since 2025-07: Order.name: String!\nquery { shop { name } }`)[0]!
        .message,
    ).toMatch(/Order\.name already exists in 2025-04/);
    expect(
      validateAdminDocument(`# since 2025-01: Order.foo: String\nquery { shop { name } }`)[0]!
        .message,
    ).toMatch(/must be after 2025-04/);
    expect(
      validateAdminDocument(`# since 2027-01: Order.foo: String\nquery { shop { name } }`)[0]!
        .message,
    ).toMatch(/no later than 2026-10/);
    expect(
      validateAdminDocument(`# since 2025-08: Order.foo: String\nquery { shop { name } }`)[0]!
        .extensions.code,
    ).toBe("invalidSinceMarker");

    const raw = `# since 2026-01: extend type Order { newestThing: String }\nquery { order(id: "gid://shopify/Order/${fake.store.orders[0]!.id}") { name newestThing } }`;
    expect(validateAdminDocument(raw)).toEqual([]);
    expect((await fake.graphql(raw)).body.data.order).toEqual({ name: "#1001", newestThing: null });

    const fulfillment = fake.store.fulfillments[0]!;
    const { body } = await fake.graphql(
      declared.replace("gid://shopify/Fulfillment/1", gids.fulfillment(fulfillment.id)),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.fulfillment).toEqual({
      id: gids.fulfillment(fulfillment.id),
      carrierPickedUpAt: null,
    });
  });

  it("answers fields the sandbox doesn't implement with null and an error, without crashing", async () => {
    const { status, body } = await fake.graphql(`{ shop { name } shopifyPaymentsAccount { id } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({
      shop: { name: "Switchboard Sandbox" },
      shopifyPaymentsAccount: null,
    });
    expect(body.errors[0]).toMatchObject({
      path: ["shopifyPaymentsAccount"],
      extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
    });
    expect(body.errors[0].message).toMatch(/not implemented by the Switchboard sandbox/);
  });
});

describe("Admin GraphQL fake: auth and routing", () => {
  it("answers 401 with Shopify's body for a missing or wrong token", async () => {
    const missing = await fake.graphql(SHOP_QUERY, undefined, { token: null });
    expect(missing).toEqual({ status: 401, body: INVALID_TOKEN_BODY });
    const wrong = await fake.graphql(SHOP_QUERY, undefined, { token: "shpat_not_a_real_token" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const otherShop = await fake.graphql(SHOP_QUERY, undefined, {
      headers: { "x-sandbox-shop": "someone-else.myshopify.com" },
    });
    expect(otherShop.status).toBe(401);
  });

  it("serves any YYYY-MM or unstable version and 404s other paths", async () => {
    expect(fake.accessToken).toBe(SANDBOX_ACCESS_TOKEN);
    for (const version of ["2025-04", "2026-10", "unstable"]) {
      const { status, body } = await fake.graphql(SHOP_QUERY, undefined, { version });
      expect(status, version).toBe(200);
      expect(body.data.shop.name).toBe("Switchboard Sandbox");
    }
    const response = await fetch(`${fake.url}/admin/api/latest/graphql.json`, {
      method: "POST",
      headers: { "x-shopify-access-token": fake.accessToken },
      body: "{}",
    });
    expect(response.status).toBe(404);
  });

  it("serves several shops, each with its own token, data and bucket", async () => {
    const second = createSandboxStore({
      seed: 9,
      shopDomain: "second-shop.myshopify.com",
      shopName: "Second Shop",
    });
    const multi = await startShopifyAdminFake({
      store: createSandboxStore(),
      stores: [second],
      clock: () => Date.parse("2026-11-01T12:00:00Z"),
    });
    try {
      const a = await multi.graphql(SHOP_QUERY);
      const b = await multi.graphql(SHOP_QUERY, undefined, {
        token: sandboxAccessToken("second-shop.myshopify.com"),
      });
      expect(a.body.data.shop.name).toBe("Switchboard Sandbox");
      expect(b.body.data.shop).toMatchObject({
        name: "Second Shop",
        myshopifyDomain: "second-shop.myshopify.com",
      });
      expect(multi.throttleStatus("second-shop.myshopify.com").currentlyAvailable).toBe(1998);
      expect(multi.throttleStatus().currentlyAvailable).toBe(1998);
      multi.setThrottle({ currentlyAvailable: 0 }, "second-shop.myshopify.com");
      expect((await multi.graphql(SHOP_QUERY)).body.data.shop.name).toBe("Switchboard Sandbox");
      expect(
        (
          await multi.graphql(SHOP_QUERY, undefined, {
            token: sandboxAccessToken("second-shop.myshopify.com"),
          })
        ).body.errors[0].extensions.code,
      ).toBe("THROTTLED");
    } finally {
      await multi.close();
    }
  });
});

describe("Admin GraphQL fake: tagsAdd / tagsRemove", () => {
  it("changes the order's tags in the store and reports the change", async () => {
    const events: unknown[] = [];
    const local = await startShopifyAdminFake({
      onMutation: (event) => events.push(event),
      clock: () => Date.parse("2026-11-02T09:30:00Z"),
    });
    try {
      const order = local.store.orders.at(-5)!;
      const id = gids.order(order.id);
      const added = await local.graphql(TAGS_ADD, {
        id,
        tags: ["switchboard:upsell-offered", "vip"],
      });
      expect(added.body.data.tagsAdd).toEqual({ node: { id }, userErrors: [] });
      expect(added.body.extensions.cost.requestedQueryCost).toBe(10);
      expect(order.tags).toEqual(expect.arrayContaining(["switchboard:upsell-offered", "vip"]));
      expect(order.updatedAt).toBe("2026-11-02T09:30:00Z");
      expect(events).toEqual([
        {
          kind: "tagsAdd",
          shop: local.shopDomain,
          id,
          type: "Order",
          tags: order.tags,
          at: "2026-11-02T09:30:00Z",
        },
      ]);
      const read = await local.graphql(ORDER_QUERY, { id });
      expect(read.body.data.order.tags).toEqual(order.tags);

      await local.graphql(
        `mutation R($id: ID!) { tagsRemove(id: $id, tags: "vip") { node { id } userErrors { message } } }`,
        { id },
      );
      expect(order.tags).not.toContain("vip");

      const unknown = await local.graphql(TAGS_ADD, { id: "gid://shopify/Order/1", tags: ["x"] });
      expect(unknown.body.data.tagsAdd.node).toBeNull();
      expect(unknown.body.data.tagsAdd.userErrors[0].field).toEqual(["id"]);
      const bad = await local.graphql(TAGS_ADD, { id: "not-a-gid", tags: ["x"] });
      expect(bad.body.errors[0].message).toBe("Invalid global id 'not-a-gid'");
    } finally {
      await local.close();
    }
  });
});

describe("Admin GraphQL fake: cost and throttling", () => {
  it("puts cost extensions on every executed response", async () => {
    const variant = fake.store.variants[0]!;
    const { body } = await fake.graphql(INVENTORY_QUERY, { id: gids.variant(variant.id) });
    // Requested: variant 1 + product 1 + featuredMedia 1 + image 1 + inventoryItem 1
    // + levels connection 2 + first 5 × (level 1 + location 1 + quantities list 1) = 22.
    // Actual: the same, but the connection returned 2 levels, not 5: 7 + 2 × 3 = 13.
    expect(body.extensions.cost).toMatchObject({
      requestedQueryCost: 22,
      actualQueryCost: 13,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(2000);
    expect((await fake.graphql(SHOP_QUERY)).body.extensions.cost).toMatchObject({
      requestedQueryCost: 2,
      actualQueryCost: 2,
    });
  });

  it("throttles when the bucket is empty, then recovers as it restores", async () => {
    let now = Date.parse("2026-11-01T12:00:00Z");
    const local = await startShopifyAdminFake({
      bucket: { maximumAvailable: 100, restoreRate: 10 },
      clock: () => now,
    });
    try {
      const big = `{ products(first: 30) { nodes { id title } } }`; // 2 + 30 = 32 points, refunded to what was returned
      const results = [];
      for (let i = 0; i < 5; i++) results.push((await local.graphql(big)).body);
      const throttled = results.find((b) => b.errors?.[0]?.extensions?.code === "THROTTLED");
      expect(throttled).toBeDefined();
      expect(throttled.errors[0].message).toBe("Throttled");
      expect(throttled.data).toBeUndefined();
      expect(throttled.extensions.cost).toMatchObject({
        requestedQueryCost: 32,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 100, restoreRate: 10 },
      });
      expect(throttled.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(32);

      now += 4_000; // +40 points
      const recovered = (await local.graphql(big)).body;
      expect(recovered.errors).toBeUndefined();
      expect(recovered.data.products.nodes).toHaveLength(30);
      expect(local.throttleStatus().currentlyAvailable).toBeLessThan(100);
      now += 60_000;
      expect(local.throttleStatus().currentlyAvailable).toBe(100);
    } finally {
      await local.close();
    }
  });

  it("recovers in real time at the restore rate", async () => {
    const local = await startShopifyAdminFake({
      bucket: { maximumAvailable: 100, restoreRate: 100 },
    });
    try {
      const query = `{ products(first: 30) { nodes { id } } }`; // 32 points: 320 ms of restoring at 100/s
      local.setThrottle({ currentlyAvailable: 0 });
      expect((await local.graphql(query)).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await local.graphql(query)).body.data.products.nodes).toHaveLength(30);
    } finally {
      await local.close();
    }
  });

  it("rejects a single query over 1,000 points without charging the bucket", async () => {
    const before = fake.throttleStatus().currentlyAvailable;
    const { status, body } = await fake.graphql(
      `{ products(first: 250) { edges { node { variants(first: 10) { edges { node { id } } } } } } }`,
    );
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toEqual({
      message: "Query cost is 3252, which exceeds the single query max cost limit (1000).",
      extensions: { code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 },
    });
    expect(body.extensions.cost.requestedQueryCost).toBe(3252);
    expect(fake.throttleStatus().currentlyAvailable).toBeGreaterThanOrEqual(before);
  });

  it("costs mutations 10 and abstract selections by their most expensive fragment", async () => {
    const order = fake.store.orders[0]!;
    const { body } = await fake.graphql(
      `query Abstract($id: ID!) {
        node(id: $id) {
          id
          ... on Order { customer { id } lineItems(first: 3) { nodes { id } } }
          ... on Product { id }
        }
      }`,
      { id: gids.order(order.id) },
    );
    // node 1 + max(Order: customer 1 + lineItems 2 + 3, Product: 0)
    expect(body.extensions.cost.requestedQueryCost).toBe(7);
    expect(body.extensions.cost.actualQueryCost).toBe(
      1 + 1 + 2 + Math.min(3, order.lineItems.length),
    );
  });
});

describe("Admin GraphQL fake: recording and faults", () => {
  it("records operation name, variables and cost through the common recorder", async () => {
    const local = await startShopifyAdminFake();
    try {
      const variant = local.store.variants[1]!;
      await local.graphql(INVENTORY_QUERY, { id: gids.variant(variant.id) });
      await local.graphql(`{ shop { nope } }`);
      const [first, second] = local.operations();
      expect(first).toMatchObject({
        status: 200,
        shop: "switchboard-sandbox.myshopify.com",
        apiVersion: "2026-10",
        operationName: "VariantStock",
        variables: { id: gids.variant(variant.id) },
        requestedQueryCost: 22,
        errorCodes: [],
      });
      expect(second).toMatchObject({
        operationName: null,
        requestedQueryCost: null,
        errorCodes: ["undefinedField"],
      });
      expect(local.received).toHaveLength(2);
    } finally {
      await local.close();
    }
  });

  it("applies the common fault knobs before the API logic", async () => {
    const local = await startShopifyAdminFake({ seed: 3 });
    try {
      local.setFaults({ burst429: 1, retryAfterSeconds: 2 });
      const limited = await fetch(local.graphqlUrl(), {
        method: "POST",
        headers: {
          "x-shopify-access-token": local.accessToken,
          "content-type": "application/json",
        },
        body: JSON.stringify({ query: SHOP_QUERY }),
      });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect((await local.graphql(SHOP_QUERY)).status).toBe(200);

      local.setFaults({ errorRate: 1 });
      expect([500, 502, 503]).toContain((await local.graphql(SHOP_QUERY)).status);

      local.setFaults({ errorRate: 0, timeoutRate: 1 });
      await expect(
        fetch(local.graphqlUrl(), {
          method: "POST",
          headers: { "x-shopify-access-token": local.accessToken },
          body: JSON.stringify({ query: SHOP_QUERY }),
          signal: AbortSignal.timeout(150),
        }),
      ).rejects.toThrow();

      local.setFaults({ timeoutRate: 0, latencyMs: 120 });
      const started = performance.now();
      expect((await local.graphql(SHOP_QUERY)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await local.close();
    }
  });
});

describe("Admin API fake: OAuth token exchange and refresh", () => {
  const app = { apiKey: "switchboard-client-id", apiSecret: "switchboard-client-secret" };
  const shop = "oauth-shop.myshopify.com";
  let clockMs = Date.parse("2026-03-01T12:00:00Z");
  let local: ShopifyAdminFake;
  beforeAll(async () => {
    local = await startShopifyAdminFake({
      store: createSandboxStore({ shopDomain: shop, customerCount: 3 }),
      app,
      clock: () => clockMs,
    });
  });
  afterAll(() => local.close());

  const post = async (body: Record<string, unknown>) => {
    const response = await fetch(`${local.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sandbox-shop": shop },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const exchange = async (overrides: Record<string, unknown> = {}, secret = app.apiSecret) => {
    const { token } = await mintSessionToken({ shop, ...app, apiSecret: secret, now: clockMs });
    return post({
      client_id: app.apiKey,
      client_secret: app.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
      ...overrides,
    });
  };
  const shopName = async (token: string) =>
    (await local.graphql(SHOP_QUERY, {}, { token })).body?.data?.shop?.name ?? null;

  it("exchanges a session token for an expiring offline token the Admin API accepts, for one hour", async () => {
    const { status, body } = await exchange();
    expect(status).toBe(200);
    expect(body).toMatchObject({ expires_in: 3599, refresh_token_expires_in: 7_776_000 });
    expect(body.access_token).toMatch(/^shpat_/);
    expect(body.refresh_token).toMatch(/^shprt_/);
    expect(body.scope).toContain("read_orders");
    expect(await shopName(body.access_token)).toBe("Switchboard Sandbox");
    clockMs += 3600_000;
    expect(await shopName(body.access_token)).toBeNull();
  });

  it("refreshes: a new pair, and the old refresh token stops working", async () => {
    const first = (await exchange()).body;
    const refresh = (refreshToken: string) =>
      post({
        client_id: app.apiKey,
        client_secret: app.apiSecret,
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
    const renewed = await refresh(first.refresh_token);
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(first.access_token);
    expect(renewed.body.refresh_token).not.toBe(first.refresh_token);
    expect(await shopName(renewed.body.access_token)).toBe("Switchboard Sandbox");
    expect(await refresh(first.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("without expiring, the offline token does not expire and has no refresh token", async () => {
    const { body } = await exchange({ expiring: "0" });
    expect(body).toEqual({ access_token: sandboxAccessToken(shop), scope: expect.any(String) });
  });

  it("refuses a wrong client secret, and a session token signed with another secret", async () => {
    expect(await exchange({ client_secret: "guess" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await exchange({}, "not-the-app-secret")).toMatchObject({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
    expect(local.grants().every((g) => g.shop === shop)).toBe(true);
  });
});
