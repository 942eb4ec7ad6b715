import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HISTORY_STOCK_BULK_QUERY,
  historyOrdersBulkQuery,
} from "../../app/integrations/shopify-admin/graphql/HistoryBulkQueries";
import { verifyDelivery } from "../../app/webhooks/verify.server";
import { createSandboxStore, gids } from "../store/index";
import type { SandboxStore } from "../store/types";
import { BULK_FINISH_TOPIC, BULK_URL_TTL_MS } from "./shopify-admin-bulk";
import { startShopifyAdminFake, type ShopifyAdminFake } from "./shopify-admin";

const DAY_MS = 86_400_000;
const SECRET = "bulk-test-secret";

const RUN = /* GraphQL */ `
  mutation RunBulk($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
        type
        objectCount
        rootObjectCount
        url
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const READ_FIELDS = `id status type errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt query`;
const CURRENT = `query Current { currentBulkOperation(type: QUERY) { ${READ_FIELDS} } }`;
const BY_NODE = `query ByNode($id: ID!) { node(id: $id) { ... on BulkOperation { ${READ_FIELDS} } } }`;
const BY_ID = `# since 2026-01: QueryRoot.bulkOperation(id: ID!): BulkOperation
query ById($id: ID!) { bulkOperation(id: $id) { id status objectCount url } }`;
const CANCEL = `mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`;

interface Delivered {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Line = Record<string, unknown> & { id: string; __parentId?: string };

async function run(fake: ShopifyAdminFake, query: string, version?: string) {
  const response = await fake.graphql(RUN, { query }, { version });
  expect(response.status).toBe(200);
  return response.body.data.bulkOperationRunQuery as {
    bulkOperation: { id: string; status: string; objectCount: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}

async function read(fake: ShopifyAdminFake, id: string) {
  const response = await fake.graphql(BY_NODE, { id });
  return response.body.data.node as Record<string, string | null>;
}

async function settle(fake: ShopifyAdminFake, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const operation = await read(fake, id);
    if (!["CREATED", "RUNNING", "CANCELING"].includes(operation.status!)) return operation;
    if (Date.now() > deadline) throw new Error(`bulk operation still ${operation.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function download(url: string): Promise<Line[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Line);
}

function ordersSince(store: SandboxStore, since: Date) {
  return store.orders
    .filter((order) => Date.parse(order.createdAt) >= since.getTime())
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
}

describe("Admin fake: bulk query operations", () => {
  let store: SandboxStore;
  let fake: ShopifyAdminFake;
  const delivered: Delivered[] = [];

  beforeAll(async () => {
    store = createSandboxStore({ baseDate: new Date() });
    fake = await startShopifyAdminFake({
      store,
      webhooks: {
        appUrl: "https://switchboard.test",
        secret: SECRET,
        topics: ["orders/create", BULK_FINISH_TOPIC],
        fetch: async (input, init) => {
          delivered.push({
            url: String(input),
            headers: Object.fromEntries(new Headers(init?.headers).entries()),
            body: String(init?.body),
          });
          return new Response(null, { status: 200 });
        },
      },
    });
  });
  afterAll(() => fake.close());

  it("runs the app's order history query: one line per order, its line items after it with __parentId", async () => {
    const since = new Date(Date.now() - 120 * DAY_MS);
    const started = await run(fake, historyOrdersBulkQuery(since));
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ status: "CREATED", objectCount: "0" });
    const done = await settle(fake, started.bulkOperation!.id);
    expect(done).toMatchObject({ status: "COMPLETED", errorCode: null, partialDataUrl: null });

    const expected = ordersSince(store, since);
    expect(expected.length).toBeGreaterThan(20);
    const lines = await download(done.url!);
    const orders = lines.filter((line) => !line.__parentId);
    const lineItems = lines.filter((line) => line.__parentId);
    expect(orders.map((o) => o.id)).toEqual(expected.map((o) => gids.order(o.id)));
    expect(lineItems).toHaveLength(expected.reduce((n, o) => n + o.lineItems.length, 0));
    expect(done.rootObjectCount).toBe(String(expected.length));
    expect(done.objectCount).toBe(String(lines.length));
    expect(Number(done.fileSize)).toBeGreaterThan(0);

    // Grouped: each order's line items follow it, and belong to it.
    let parent: string | undefined;
    for (const line of lines) {
      if (!line.__parentId) parent = line.id;
      else expect(line.__parentId).toBe(parent);
    }
    // Lists and objects stay inline; the connection does not; __parentId comes last.
    const first = expected[0]!;
    const firstLine = orders[0]!;
    expect(firstLine).not.toHaveProperty("lineItems");
    expect(firstLine.name).toBe(first.name);
    expect(firstLine.createdAt).toBe(first.createdAt);
    expect(Array.isArray(firstLine.fulfillments)).toBe(true);
    expect(Array.isArray(firstLine.refunds)).toBe(true);
    const withCustomer = expected.findIndex((o) => o.customerId !== null);
    expect((orders[withCustomer]!.customer as { id: string }).id).toBe(
      gids.customer(expected[withCustomer]!.customerId!),
    );
    const item = lineItems[0]!;
    expect(Object.keys(item).at(-1)).toBe("__parentId");
    expect(item).toMatchObject({
      sku: expect.any(String),
      quantity: expect.any(Number),
      variant: { id: expect.stringMatching(/^gid:\/\/shopify\/ProductVariant\//) },
    });
  });

  it("runs the app's stock query: inventory levels carry the variant (not the inventory item) as parent", async () => {
    const started = await run(fake, HISTORY_STOCK_BULK_QUERY);
    expect(started.userErrors).toEqual([]);
    const done = await settle(fake, started.bulkOperation!.id);
    expect(done.status).toBe("COMPLETED");
    const lines = await download(done.url!);
    const variants = lines.filter((line) => !line.__parentId);
    const levels = lines.filter((line) => line.__parentId);
    expect(variants).toHaveLength(store.variants.length);
    expect(levels).toHaveLength(store.inventoryLevels.length);
    const variantByItem = new Map(store.variants.map((v) => [v.inventoryItemId, v]));
    for (const level of levels) {
      const stored = store.inventoryLevels.find(
        (l) =>
          level.id ===
          `gid://shopify/InventoryLevel/${l.id}?inventory_item_id=${l.inventoryItemId}`,
      )!;
      expect(level.__parentId).toBe(gids.variant(variantByItem.get(stored.inventoryItemId)!.id));
      expect(level.quantities).toEqual([
        { name: "available", quantity: stored.quantities.available },
      ]);
    }
    // The inventory item object stays inline on the variant's line, without its connection.
    expect(variants[0]!.inventoryItem).toEqual({
      id: gids.inventoryItem(store.variants[0]!.inventoryItemId),
    });
  });

  it("answers currentBulkOperation, node(id:) and (declared) bulkOperation(id:)", async () => {
    const started = await run(
      fake,
      `{ customers(query: "state:enabled", sortKey: NAME) { edges { node { id email } } } }`,
    );
    const id = started.bulkOperation!.id;
    await settle(fake, id);
    const current = (await fake.graphql(CURRENT)).body.data.currentBulkOperation;
    expect(current).toMatchObject({ id, status: "COMPLETED", type: "QUERY" });
    expect(current.query).toContain("customers");
    expect(Date.parse(current.completedAt)).toBeGreaterThanOrEqual(Date.parse(current.createdAt));
    const byId = (await fake.graphql(BY_ID, { id })).body;
    expect(byId.errors).toBeUndefined();
    expect(byId.data.bulkOperation).toMatchObject({ id, status: "COMPLETED", url: current.url });
    const lines = await download(current.url);
    const names = lines.map((l) => {
      const c = store.customers.find((customer) => gids.customer(customer.id) === l.id)!;
      return `${c.firstName} ${c.lastName}`.toLowerCase();
    });
    expect(names).toEqual([...names].sort());
  });

  it("sends bulk_operations/finish, signed so the app's verifier accepts it", async () => {
    const started = await run(fake, `{ locations { edges { node { id name } } } }`);
    const id = started.bulkOperation!.id;
    const done = await settle(fake, id);
    await expect.poll(() => delivered.filter((d) => d.body.includes(id))).toHaveLength(1);
    const delivery = delivered.find((d) => d.body.includes(id))!;
    expect(delivery.url).toBe(`https://switchboard.test/webhooks/${BULK_FINISH_TOPIC}`);
    expect(JSON.parse(delivery.body)).toEqual({
      admin_graphql_api_id: id,
      completed_at: done.completedAt,
      created_at: done.createdAt,
      error_code: null,
      status: "completed",
      type: "query",
    });
    const verified = verifyDelivery(
      {
        method: "POST",
        header: (name) => delivery.headers[name.toLowerCase()] ?? null,
        rawBody: delivery.body,
      },
      SECRET,
    );
    expect(verified).toMatchObject({ topic: BULK_FINISH_TOPIC, shop: store.shop.domain });
  });

  it("serves a byte range of the result, like Shopify's storage, and expires the URL after 7 days", async () => {
    let now = Date.now();
    const clocked = await startShopifyAdminFake({ store, clock: () => now });
    try {
      const started = await run(clocked, `{ products { edges { node { id handle } } } }`);
      const done = await settle(clocked, started.bulkOperation!.id);
      const whole = await (await fetch(done.url!)).text();
      const ranged = await fetch(done.url!, { headers: { range: "bytes=10-" } });
      expect(ranged.status).toBe(206);
      expect(await ranged.text()).toBe(whole.slice(10));
      now += BULK_URL_TTL_MS + 1;
      expect((await fetch(done.url!)).status).toBe(400);
      expect(await read(clocked, done.id!)).toMatchObject({ status: "EXPIRED", url: null });
    } finally {
      await clocked.close();
    }
  });

  describe("the bulk rules (Shopify's userErrors, nothing started)", () => {
    const cases: [string, string, string][] = [
      [
        "six connections",
        `{ products { edges { node { id variants { edges { node { id } } } collections { edges { node { id } } } media { edges { node { id } } } metafields { edges { node { id } } } sellingPlanGroups { edges { node { id } } } } } } }`,
        "Bulk queries cannot contain more than 5 connections.",
      ],
      [
        "three levels of connections",
        `{ collections { edges { node { id products { edges { node { id variants { edges { node { id } } } } } } } } } }`,
        "Bulk queries cannot contain connections with a nesting depth greater than 2.",
      ],
      [
        "nodes instead of edges",
        `{ products { nodes { id } } }`,
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.",
      ],
      [
        "a nested connection whose parent has no id",
        `{ products { edges { node { title variants { edges { node { id } } } } } } }`,
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.",
      ],
      [
        "a connection inside a list",
        `{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }`,
        "Queries that contain a connection field within a list field are not currently supported.",
      ],
      [
        "a mutation",
        `mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) { userErrors { message } } }`,
        "Invalid operation type. Only `query` operations are supported.",
      ],
      ["no connection", `{ shop { name } }`, "Bulk queries must contain at least one connection."],
      [
        "a field the schema lacks",
        `{ orders { edges { node { id colour } } } }`,
        "Invalid bulk query: Field 'colour' doesn't exist on type 'Order'",
      ],
      ["an empty query", "  ", "Invalid bulk query: syntax error, unexpected end of file"],
    ];
    it.each(cases)("rejects %s", async (_name, query, message) => {
      const before = fake.bulk.list().length;
      const result = await run(fake, query);
      expect(result.bulkOperation).toBeNull();
      expect(result.userErrors).toContainEqual({ field: ["query"], message, code: "INVALID" });
      expect(fake.bulk.list()).toHaveLength(before);
    });

    it("rejects variables: a bulk query is sent as text", async () => {
      const result = await run(
        fake,
        `query Since($since: String!) { orders(query: $since) { edges { node { id } } } }`,
      );
      expect(result.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
      expect(result.userErrors[0]!.message).toContain("$since");
    });
  });

  describe("progress, concurrency, faults", () => {
    let slow: ShopifyAdminFake;
    const finishes: string[] = [];
    beforeAll(async () => {
      slow = await startShopifyAdminFake({
        store,
        bulk: { windowSize: 25, windowDelayMs: 40 },
        webhooks: {
          appUrl: "https://switchboard.test",
          secret: SECRET,
          topics: [BULK_FINISH_TOPIC],
          fetch: async (_input, init) => {
            finishes.push(String(init?.body));
            return new Response(null, { status: 200 });
          },
        },
      });
    });
    afterAll(() => slow.close());

    it("goes CREATED → RUNNING with counts growing → COMPLETED", async () => {
      const started = await run(
        slow,
        `{ orders { edges { node { id lineItems { edges { node { id } } } } } } }`,
      );
      const id = started.bulkOperation!.id;
      const seen: { status: string; objects: number }[] = [{ status: "CREATED", objects: 0 }];
      for (;;) {
        const operation = await read(slow, id);
        seen.push({ status: operation.status!, objects: Number(operation.objectCount) });
        if (operation.status === "COMPLETED") break;
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const running = seen.filter((s) => s.status === "RUNNING");
      expect(new Set(running.map((s) => s.objects)).size).toBeGreaterThan(1);
      for (let i = 1; i < seen.length; i++)
        expect(seen[i]!.objects).toBeGreaterThanOrEqual(seen[i - 1]!.objects);
      expect(seen.at(-1)!.objects).toBe(
        store.orders.length + store.orders.reduce((n, o) => n + o.lineItems.length, 0),
      );
    });

    it("cancels: CANCELING, then CANCELED with no URL, and the finish webhook says so", async () => {
      const started = await run(slow, `{ orders { edges { node { id } } } }`);
      const id = started.bulkOperation!.id;
      const canceled = (await slow.graphql(CANCEL, { id })).body.data.bulkOperationCancel;
      expect(canceled).toEqual({ bulkOperation: { id, status: "CANCELING" }, userErrors: [] });
      const done = await settle(slow, id);
      expect(done).toMatchObject({ status: "CANCELED", url: null, completedAt: null });
      expect(Number(done.rootObjectCount)).toBeLessThan(store.orders.length);
      await expect
        .poll(() => finishes.map((b) => JSON.parse(b)).find((p) => p.admin_graphql_api_id === id))
        .toMatchObject({ status: "canceled", error_code: null, type: "query" });
      const again = (await slow.graphql(CANCEL, { id })).body.data.bulkOperationCancel;
      expect(again.userErrors[0].message).toBe(
        "A bulk operation cannot be canceled when it is canceled",
      );
    });

    it("fails on demand with an error code and the partial data written so far", async () => {
      slow.bulk.setKnobs({
        failNext: [{ afterRootObjects: 50, errorCode: "INTERNAL_SERVER_ERROR" }],
      });
      const started = await run(
        slow,
        `{ orders(sortKey: CREATED_AT) { edges { node { id name } } } }`,
      );
      const done = await settle(slow, started.bulkOperation!.id);
      expect(done).toMatchObject({
        status: "FAILED",
        errorCode: "INTERNAL_SERVER_ERROR",
        url: null,
      });
      const partial = await download(done.partialDataUrl!);
      expect(partial).toHaveLength(50);
      expect(partial.map((l) => l.name)).toEqual(
        [...store.orders]
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)
          .slice(0, 50)
          .map((o) => o.name),
      );
      await expect
        .poll(() =>
          finishes.map((b) => JSON.parse(b)).find((p) => p.admin_graphql_api_id === done.id),
        )
        .toMatchObject({ status: "failed", error_code: "internal_server_error" });
    });

    it("runs up to 5 bulk queries at once from 2026-01, one at a time before", async () => {
      const query = `{ orders { edges { node { id } } } }`;
      const first = await run(slow, query, "2025-10");
      const second = await run(slow, query, "2025-10");
      expect(second.bulkOperation).toBeNull();
      expect(second.userErrors).toEqual([
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${first.bulkOperation!.id}.`,
          code: "OPERATION_IN_PROGRESS",
        },
      ]);
      const more = [];
      for (let i = 0; i < 4; i++) more.push(await run(slow, query, "2026-10"));
      expect(more.every((r) => r.userErrors.length === 0)).toBe(true);
      const sixth = await run(slow, query, "2026-10");
      expect(sixth.userErrors).toEqual([
        {
          field: null,
          message: "Bulk operations limit reached. Please try again later.",
          code: "LIMIT_REACHED",
        },
      ]);
      for (const r of [first, ...more]) await slow.graphql(CANCEL, { id: r.bulkOperation!.id });
    });
  });
});
