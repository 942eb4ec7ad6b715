/**
 * Bulk query operations for the Admin API fake (sandbox/fakes/shopify-admin.ts), as Shopify
 * documents them (https://shopify.dev/docs/api/usage/bulk-operations/queries):
 *
 * - `bulkOperationRunQuery(query:)` parses and validates the inner query against the same Admin
 *   schema as any document (with its since-markers), then applies the bulk rules with
 *   Shopify's userErrors (field ["query"], code INVALID): a query operation, no variables, one
 *   top-level connection field (not `node`/`nodes`), at least one and at most 5 connections,
 *   nested at most 2 deep, selected through `edges { node }` (Shopify rejects `nodes`), the
 *   parent node of a nested connection selecting an unaliased `id`, no connection inside a list.
 * - Concurrency follows the request's API version: from 2026-01 (the app pins 2026-10) up to 5
 *   bulk queries run at once per shop (the 6th gets LIMIT_REACHED); before 2026-01 one at a
 *   time (OPERATION_IN_PROGRESS, naming the running operation).
 * - The query runs over the store ignoring pagination: every node of every connection, the
 *   `query:` search and `sortKey` honoured. It executes with the normal resolvers, one window of
 *   root objects at a time (AdminContext.unpaged), and appends JSONL to a file as it goes: one
 *   line per connection node, nested connection nodes on their own lines with `__parentId` (the
 *   enclosing connection node's gid, last key), lists and objects inline. Lines are grouped: a
 *   parent's line, then its children's (Shopify's groupObjects: true; from 2026-01 Shopify's
 *   default is ungrouped, where only parent-before-child can be relied on — the `ungrouped`
 *   knob writes each window's parents first, then their children).
 * - Status: CREATED → RUNNING (objectCount/rootObjectCount growing per window) → COMPLETED
 *   (fileSize, `url`), or FAILED with errorCode (and `partialDataUrl` when lines were written),
 *   or CANCELING → CANCELED after `bulkOperationCancel`. `url` is served by the fake itself
 *   (`GET /bulk-operations/<id>/<token>.jsonl`, streamed from the file, `Range: bytes=N-`
 *   honoured like Shopify's storage) and expires 7 days (store clock) after completion, when
 *   the status reads EXPIRED.
 * - When an operation finishes (completed, failed or canceled) and the app subscribed to
 *   `bulk_operations/finish`, the fake POSTs Shopify's signed webhook to `<appUrl>/webhooks/…`.
 *
 * Time: createdAt/completedAt and expiry come from the fake's injected clock; the pace of a run
 * (knobs below) is real time, so tests can stop and restart an app mid-import.
 */

import { createHmac, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  Kind,
  execute,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type SelectionSetNode,
} from "graphql";
import type {
  AdminContext,
  BulkOperationView,
  BulkOperationsApi,
  BulkUserError,
  BulkWindow,
} from "../store/admin-graphql";
import type { FakeRequest, FakeResponse } from "./common";

export const BULK_FINISH_TOPIC = "bulk_operations/finish";
/** Result URLs (and partial data URLs) expire 7 days after the operation finishes. */
export const BULK_URL_TTL_MS = 7 * 86_400_000;
const BULK_ID_BASE = 4_100_000_000;

export type BulkErrorCode = "INTERNAL_SERVER_ERROR" | "TIMEOUT" | "ACCESS_DENIED";

/** Knobs for tests, the demo and the benchmark. */
export interface BulkKnobs {
  /** Real milliseconds an operation stays CREATED before it starts RUNNING. */
  startDelayMs: number;
  /** Root objects executed and written per step. */
  windowSize: number;
  /** Real milliseconds between windows: slow completion, so a test can stop the app mid-run. */
  windowDelayMs: number;
  /** Write each window's parents first, then their children (Shopify's groupObjects: false). */
  ungrouped: boolean;
  /**
   * The next operations fail once this many root objects are written (0: before any), with
   * this error code; the lines written so far are the partial data. Consumed per operation.
   */
  failNext: { afterRootObjects: number; errorCode: BulkErrorCode }[];
}

export const DEFAULT_BULK_KNOBS: BulkKnobs = {
  startDelayMs: 20,
  windowSize: 250,
  windowDelayMs: 0,
  ungrouped: false,
  failNext: [],
};

/** Where the shop's webhooks go (the app), and which topics it subscribed to. */
export interface BulkWebhookTarget {
  /** The app's public URL; deliveries go to `<appUrl>/webhooks/<topic>`. */
  appUrl: string;
  /** The app's client secret: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the body. */
  secret: string;
  /** Topics the app subscribed to; nothing is sent for others. */
  topics: readonly string[];
  apiVersion?: string;
  fetch?: typeof fetch;
}

/** One `bulk_operations/finish` delivery as sent (for assertions and the inbox). */
export interface BulkWebhookDelivery {
  topic: string;
  shop: string;
  webhookId: string;
  body: string;
  status: number | null;
}

export interface BulkOperationRecord extends BulkOperationView {
  shop: string;
  apiVersion: string;
  /** Why a FAILED operation failed, for people reading test output (never sent to the app). */
  failure: string | null;
  cancelRequested: boolean;
  file: string;
  token: string;
  finishedAt: number | null;
  done: Promise<void>;
}

/** A validated document the fake can execute (prepared by shopify-admin.ts). */
export interface PreparedBulkDocument {
  schema: GraphQLSchema;
  declaredFields: ReadonlySet<string>;
  document: DocumentNode | null;
  errors: readonly GraphQLError[];
}

export interface BulkOperationsOptions {
  prepare: (source: string) => PreparedBulkDocument;
  /** Builds the resolver context for a shop (the store, clock, scopes…), with bulk extras. */
  context: (
    shop: string,
    extras: { unpaged: BulkWindow; declaredFields: ReadonlySet<string> },
  ) => AdminContext;
  fieldResolver: GraphQLFieldResolver<unknown, AdminContext>;
  typeResolver: GraphQLTypeResolver<unknown, AdminContext>;
  clock: () => number;
  /** The fake's base URL (known once it listens). */
  baseUrl: () => string;
  knobs?: Partial<BulkKnobs>;
  webhooks?: BulkWebhookTarget;
}

// ---------------------------------------------------------------------------------------------
// The bulk rules
// ---------------------------------------------------------------------------------------------

/** How a node's result splits into lines: its connections (own lines) and objects holding some. */
interface ShapeField {
  key: string;
  connection?: { edgesKey: string; nodeKey: string; node: Shape };
  inner?: Shape;
}
type Shape = ShapeField[];

export interface BulkPlan {
  document: DocumentNode;
  schema: GraphQLSchema;
  declaredFields: ReadonlySet<string>;
  rootKey: string;
  root: NonNullable<ShapeField["connection"]>;
}

function invalid(message: string): BulkUserError {
  return { field: ["query"], message, code: "INVALID" };
}

/** Fields of a selection set by response key, fragments flattened (bulk queries are plain). */
function collectFields(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      into.set(key, [...(into.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(selection.selectionSet, fragments, into, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        collectFields(fragment.selectionSet, fragments, into, seen);
      }
    }
  }
  return into;
}

function mergedSelection(nodes: FieldNode[]): SelectionSetNode | undefined {
  const selections = nodes.flatMap((node) => node.selectionSet?.selections ?? []);
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : undefined;
}

function isConnectionType(type: GraphQLCompositeType): boolean {
  return type.name.endsWith("Connection") && "getFields" in type && "edges" in type.getFields();
}

function fieldsOf(type: GraphQLCompositeType) {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
}

/** Checks a validated query against the bulk rules; the plan to run it, or Shopify's userErrors. */
export function planBulkQuery(prepared: PreparedBulkDocument): BulkPlan | BulkUserError[] {
  const document = prepared.document!;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.length === 1 ? getOperationAST(document) : null;
  if (!operation)
    return [invalid("Bulk queries must contain exactly one operation (a single query).")];
  if (operation.operation !== "query")
    return [invalid("Invalid operation type. Only `query` operations are supported.")];
  if (operation.variableDefinitions?.length)
    return [
      invalid(
        `Bulk queries can't use variables; write the values into the query (declared: ${operation.variableDefinitions.map((d) => `$${d.variable.name.value}`).join(", ")}).`,
      ),
    ];

  const errors: BulkUserError[] = [];
  const root = collectFields(operation.selectionSet, fragments);
  const rootKeys = [...root.keys()].filter((key) => root.get(key)![0]!.name.value !== "__typename");
  const topLevelNode = rootKeys.find((key) =>
    ["node", "nodes"].includes(root.get(key)![0]!.name.value),
  );
  if (topLevelNode)
    errors.push(
      invalid(
        `Bulk queries cannot contain a top level \`${root.get(topLevelNode)![0]!.name.value}\` field.`,
      ),
    );

  let connections = 0;
  let maxDepth = 0;
  let withinList = false;
  const viaNodes: string[] = [];
  const withoutParentId: string[] = [];

  const hasPlainId = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    [...collectFields(set, fragments).entries()].some(
      ([key, nodes]) => key === "id" && nodes.every((node) => node.name.value === "id"),
    );

  /** Walks a selection; returns the shape of the parts that need splitting (undefined: none). */
  const walk = (
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    depth: number,
    insideList: boolean,
    parent: { name: string; hasId: boolean } | null,
  ): Shape | undefined => {
    const shape: Shape = [];
    for (const [key, nodes] of collectFields(set, fragments)) {
      const name = nodes[0]!.name.value;
      const definition = fieldsOf(type)[name];
      if (!definition) continue;
      const named = getNamedType(definition.type);
      if (!isCompositeType(named)) continue;
      const selection = mergedSelection(nodes);
      if (!selection) continue;
      if (isConnectionType(named)) {
        connections += 1;
        maxDepth = Math.max(maxDepth, depth + 1);
        if (insideList) withinList = true;
        if (parent && !parent.hasId && !withoutParentId.includes(parent.name))
          withoutParentId.push(parent.name);
        const inner = collectFields(selection, fragments);
        if ([...inner.values()].some((n) => n[0]!.name.value === "nodes")) viaNodes.push(name);
        const edges = [...inner.entries()].find(([, n]) => n[0]!.name.value === "edges");
        const edgeSelection = edges && mergedSelection(edges[1]);
        const nodeEntry =
          edgeSelection &&
          [...collectFields(edgeSelection, fragments).entries()].find(
            ([, n]) => n[0]!.name.value === "node",
          );
        const nodeSelection = nodeEntry && mergedSelection(nodeEntry[1]);
        const edgeType = getNamedType(fieldsOf(named).edges!.type) as GraphQLCompositeType;
        const nodeType = getNamedType(fieldsOf(edgeType).node!.type) as GraphQLCompositeType;
        const nodeShape = nodeSelection
          ? (walk(nodeSelection, nodeType, depth + 1, false, {
              name,
              hasId: hasPlainId(nodeSelection),
            }) ?? [])
          : [];
        shape.push({
          key,
          connection: {
            edgesKey: edges?.[0] ?? "edges",
            nodeKey: nodeEntry?.[0] ?? "node",
            node: nodeShape,
          },
        });
      } else {
        const list = isListType(getNullableType(definition.type));
        const inner = walk(selection, named, depth, insideList || list, parent);
        if (inner) shape.push({ key, inner });
      }
    }
    return shape.length ? shape : undefined;
  };

  let rootKey = "";
  let rootConnection: BulkPlan["root"] | undefined;
  const queryType = prepared.schema.getQueryType()!;
  if (!topLevelNode && rootKeys.length > 1)
    errors.push(invalid("Bulk queries must select a single top-level field."));
  for (const key of rootKeys) {
    if (key === topLevelNode) continue;
    const nodes = root.get(key)!;
    const walked = walk({ kind: Kind.SELECTION_SET, selections: nodes }, queryType, 0, false, null);
    const field = walked?.find((f) => f.key === key);
    if (field?.connection && !rootKey) {
      rootKey = key;
      rootConnection = field.connection;
    }
  }
  if (viaNodes.length)
    errors.push(
      invalid(
        `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${viaNodes[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '${viaNodes.join("', '")}'.`,
      ),
    );
  if (maxDepth > 2)
    errors.push(
      invalid("Bulk queries cannot contain connections with a nesting depth greater than 2."),
    );
  if (connections > 5) errors.push(invalid("Bulk queries cannot contain more than 5 connections."));
  if (withoutParentId.length)
    errors.push(
      invalid(
        `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${withoutParentId.join(", ")}.`,
      ),
    );
  if (withinList)
    errors.push(
      invalid(
        "Queries that contain a connection field within a list field are not currently supported.",
      ),
    );
  if (connections === 0) errors.push(invalid("Bulk queries must contain at least one connection."));
  else if (!rootKey && errors.length === 0)
    errors.push(
      invalid(
        "The Switchboard sandbox runs bulk queries whose top-level field is a connection (orders, productVariants, …); nest under one.",
      ),
    );
  if (errors.length) return errors;
  return {
    document,
    schema: prepared.schema,
    declaredFields: prepared.declaredFields,
    rootKey,
    root: rootConnection!,
  };
}

// ---------------------------------------------------------------------------------------------
// JSONL
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function connectionNodes(
  value: unknown,
  connection: NonNullable<ShapeField["connection"]>,
): Json[] {
  const edges = (value as Json | null)?.[connection.edgesKey];
  if (!Array.isArray(edges)) return [];
  return edges
    .map((edge) => (edge as Json | null)?.[connection.nodeKey])
    .filter((node): node is Json => node !== null && typeof node === "object");
}

/** A node's own line (connections removed, objects inline) and the children to write after it. */
function splitNode(node: Json, shape: Shape, children: { nodes: Json[]; shape: Shape }[]): Json {
  const copy: Json = { ...node };
  for (const field of shape) {
    if (!(field.key in copy)) continue;
    const value = copy[field.key];
    if (field.connection) {
      delete copy[field.key];
      children.push({
        nodes: connectionNodes(value, field.connection),
        shape: field.connection.node,
      });
    } else if (field.inner && value !== null && typeof value === "object") {
      copy[field.key] = Array.isArray(value)
        ? value.map((item) =>
            item && typeof item === "object"
              ? splitNode(item as Json, field.inner!, children)
              : item,
          )
        : splitNode(value as Json, field.inner, children);
    }
  }
  return copy;
}

interface Line {
  text: string;
  depth: number;
}

/** The lines for one root node and everything under it, parent before children. */
function nodeLines(
  node: Json,
  shape: Shape,
  parentId: string | undefined,
  depth: number,
  out: Line[],
) {
  const children: { nodes: Json[]; shape: Shape }[] = [];
  const line = splitNode(node, shape, children);
  if (parentId !== undefined) line.__parentId = parentId;
  out.push({ text: JSON.stringify(line), depth });
  const id = node.id as string;
  for (const child of children)
    for (const childNode of child.nodes) nodeLines(childNode, child.shape, id, depth + 1, out);
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

const RUNNING_STATUSES = new Set(["CREATED", "RUNNING", "CANCELING"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Shopify's `bulk_operations/finish` payload. */
export function bulkFinishPayload(operation: BulkOperationView & { finishedAt: number | null }) {
  return {
    admin_graphql_api_id: `gid://shopify/BulkOperation/${operation.id}`,
    // The time it finished, also for failed and canceled operations (the webhook's subject).
    completed_at: operation.finishedAt === null ? null : isoSeconds(operation.finishedAt),
    created_at: operation.createdAt,
    error_code: operation.errorCode ? operation.errorCode.toLowerCase() : null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}

export class BulkOperations {
  readonly knobs: BulkKnobs;
  readonly deliveries: BulkWebhookDelivery[] = [];
  private readonly records = new Map<number, BulkOperationRecord>();
  private readonly dir = mkdtempSync(path.join(tmpdir(), "switchboard-bulk-"));
  private nextId = BULK_ID_BASE + 1;
  private closed = false;

  constructor(private readonly options: BulkOperationsOptions) {
    this.knobs = {
      ...DEFAULT_BULK_KNOBS,
      ...options.knobs,
      failNext: [...(options.knobs?.failNext ?? [])],
    };
  }

  setKnobs(knobs: Partial<BulkKnobs>): void {
    Object.assign(this.knobs, knobs);
  }

  /** Every operation (newest last), for tests and the inbox. */
  list(shop?: string): BulkOperationRecord[] {
    return [...this.records.values()].filter((r) => !shop || r.shop === shop);
  }

  get(id: number): BulkOperationRecord | undefined {
    return this.records.get(id);
  }

  /** The resolvers' view for one shop and API version. */
  api(shop: string, apiVersion: string): BulkOperationsApi {
    return {
      runQuery: (query) => this.runQuery(shop, apiVersion, query),
      cancel: (id) => this.cancel(shop, id),
      current: (type) => {
        const mine = this.list(shop).filter((r) => r.type === type);
        return mine.length ? this.view(mine[mine.length - 1]!) : null;
      },
      find: (id) => {
        const record = this.records.get(id);
        return record && record.shop === shop ? this.view(record) : null;
      },
    };
  }

  /** What a record reads as now (EXPIRED once the URL's 7 days are over). */
  private view(record: BulkOperationRecord): BulkOperationView {
    if (
      record.finishedAt !== null &&
      (record.url || record.partialDataUrl) &&
      this.options.clock() > record.finishedAt + BULK_URL_TTL_MS
    ) {
      return {
        ...record,
        status: record.status === "COMPLETED" ? "EXPIRED" : record.status,
        url: null,
        partialDataUrl: null,
      };
    }
    return { ...record };
  }

  private runQuery(shop: string, apiVersion: string, query: string) {
    const fail = (userErrors: BulkUserError[]) => ({ bulkOperation: null, userErrors });
    if (!query.trim())
      return fail([invalid("Invalid bulk query: syntax error, unexpected end of file")]);
    const prepared = this.options.prepare(query);
    if (!prepared.document)
      return fail(prepared.errors.map((error) => invalid(`Invalid bulk query: ${error.message}`)));
    const plan = planBulkQuery(prepared);
    if (Array.isArray(plan)) return fail(plan);
    const running = this.list(shop).filter(
      (r) => r.type === "QUERY" && RUNNING_STATUSES.has(r.status),
    );
    const concurrent = apiVersion === "unstable" || apiVersion >= "2026-01" ? 5 : 1;
    if (running.length >= concurrent) {
      return fail([
        concurrent === 1
          ? {
              field: null,
              message: `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${running[0]!.id}.`,
              code: "OPERATION_IN_PROGRESS",
            }
          : {
              field: null,
              message: "Bulk operations limit reached. Please try again later.",
              code: "LIMIT_REACHED",
            },
      ]);
    }
    const id = this.nextId++;
    const record: BulkOperationRecord = {
      id,
      type: "QUERY",
      status: "CREATED",
      errorCode: null,
      query,
      createdAt: isoSeconds(this.options.clock()),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      shop,
      apiVersion,
      failure: null,
      cancelRequested: false,
      file: path.join(this.dir, `${id}.jsonl`),
      token: randomUUID(),
      finishedAt: null,
      done: Promise.resolve(),
    };
    this.records.set(id, record);
    const failure = this.knobs.failNext.shift() ?? null;
    record.done = this.run(record, plan, failure).catch((error: unknown) => {
      this.finish(record, "FAILED", "INTERNAL_SERVER_ERROR", String(error));
    });
    return { bulkOperation: this.view(record), userErrors: [] };
  }

  private cancel(shop: string, gidValue: string) {
    const match = /^gid:\/\/shopify\/BulkOperation\/(\d+)$/.exec(gidValue);
    const record = match ? this.records.get(Number(match[1])) : undefined;
    if (!record || record.shop !== shop)
      return {
        bulkOperation: null,
        userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
      };
    if (!RUNNING_STATUSES.has(record.status))
      return {
        bulkOperation: this.view(record),
        userErrors: [
          {
            field: null,
            message: `A bulk operation cannot be canceled when it is ${record.status.toLowerCase()}`,
          },
        ],
      };
    record.cancelRequested = true;
    record.status = "CANCELING";
    return { bulkOperation: this.view(record), userErrors: [] };
  }

  private fileUrl(record: BulkOperationRecord): string {
    return `${this.options.baseUrl()}/bulk-operations/${record.id}/${record.token}.jsonl`;
  }

  private async run(
    record: BulkOperationRecord,
    plan: BulkPlan,
    failure: BulkKnobs["failNext"][number] | null,
  ): Promise<void> {
    await sleep(this.knobs.startDelayMs);
    if (this.closed) return;
    if (record.cancelRequested) return this.finish(record, "CANCELED", null);
    record.status = "RUNNING";
    const unpaged: BulkWindow = { window: { start: 0, end: 0 } };
    const context = this.options.context(record.shop, {
      unpaged,
      declaredFields: plan.declaredFields,
    });
    const out = createWriteStream(record.file);
    const write = (text: string) =>
      new Promise<void>((resolve, reject) =>
        out.write(text, (error) => (error ? reject(error) : resolve())),
      );
    try {
      for (let start = 0; ; start += this.knobs.windowSize) {
        if (this.closed) return;
        if (record.cancelRequested)
          return await this.endFile(out, () => this.finish(record, "CANCELED", null));
        if (failure && record.rootObjectCount >= failure.afterRootObjects)
          return await this.endFile(out, () =>
            this.finish(
              record,
              "FAILED",
              failure.errorCode,
              "failure injected by the test (failNext)",
            ),
          );
        unpaged.window = { start, end: start + this.knobs.windowSize };
        context.searchWarnings = [];
        const result = await execute({
          schema: plan.schema,
          document: plan.document,
          rootValue: {},
          contextValue: context,
          fieldResolver: this.options.fieldResolver,
          typeResolver: this.options.typeResolver,
        });
        if (result.errors?.length) {
          const denied = result.errors.some((e) => e.extensions?.code === "ACCESS_DENIED");
          return await this.endFile(out, () =>
            this.finish(
              record,
              "FAILED",
              denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR",
              result.errors!.map((e) => e.message).join("; "),
            ),
          );
        }
        const roots = connectionNodes((result.data as Json | null)?.[plan.rootKey], plan.root);
        const lines: Line[] = [];
        for (const root of roots) nodeLines(root, plan.root.node, undefined, 0, lines);
        const ordered = this.knobs.ungrouped ? [...lines].sort((a, b) => a.depth - b.depth) : lines;
        if (ordered.length) await write(ordered.map((l) => l.text).join("\n") + "\n");
        record.objectCount += lines.length;
        record.rootObjectCount += roots.length;
        if (roots.length < this.knobs.windowSize) break;
        if (this.knobs.windowDelayMs > 0) await sleep(this.knobs.windowDelayMs);
        else await new Promise((resolve) => setImmediate(resolve));
      }
      await this.endFile(out, () => {
        record.fileSize = statSync(record.file).size;
        this.finish(record, "COMPLETED", null);
      });
    } finally {
      if (!out.closed) out.destroy();
    }
  }

  private endFile(out: ReturnType<typeof createWriteStream>, then: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    ).then(then);
  }

  private finish(
    record: BulkOperationRecord,
    status: "COMPLETED" | "FAILED" | "CANCELED",
    errorCode: BulkErrorCode | null,
    failure: string | null = null,
  ): void {
    if (!RUNNING_STATUSES.has(record.status)) return;
    const now = this.options.clock();
    record.status = status;
    record.errorCode = errorCode;
    record.failure = failure;
    record.finishedAt = now;
    // completedAt: "when the bulk operation was successfully completed".
    if (status === "COMPLETED") record.completedAt = isoSeconds(now);
    if (status === "COMPLETED") record.url = record.objectCount > 0 ? this.fileUrl(record) : null;
    else if (record.objectCount > 0 && status === "FAILED")
      record.partialDataUrl = this.fileUrl(record);
    void this.sendFinishWebhook(record);
  }

  private async sendFinishWebhook(record: BulkOperationRecord): Promise<void> {
    const target = this.options.webhooks;
    if (!target || !target.topics.includes(BULK_FINISH_TOPIC) || this.closed) return;
    const body = JSON.stringify(bulkFinishPayload(record));
    const webhookId = randomUUID();
    const delivery: BulkWebhookDelivery = {
      topic: BULK_FINISH_TOPIC,
      shop: record.shop,
      webhookId,
      body,
      status: null,
    };
    this.deliveries.push(delivery);
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": BULK_FINISH_TOPIC,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", target.secret)
        .update(body, "utf8")
        .digest("base64"),
      "X-Shopify-Shop-Domain": record.shop,
      "X-Shopify-API-Version": target.apiVersion ?? record.apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date(this.options.clock()).toISOString(),
    };
    const send = target.fetch ?? globalThis.fetch;
    // Shopify retries a delivery that isn't answered 2xx (same webhook id); a few quick tries here.
    for (let attempt = 0; attempt < 4 && !this.closed; attempt++) {
      try {
        const response = await send(
          `${target.appUrl.replace(/\/$/, "")}/webhooks/${BULK_FINISH_TOPIC}`,
          {
            method: "POST",
            headers,
            body,
            signal: AbortSignal.timeout(5_000),
          },
        );
        delivery.status = response.status;
        if (response.ok) return;
      } catch {
        delivery.status = null;
      }
      await sleep(250 * 2 ** attempt);
    }
  }

  /** Serves `GET /bulk-operations/<id>/<token>.jsonl` (the result and partial data URLs). */
  serve(request: FakeRequest): FakeResponse | null {
    const match = /^\/bulk-operations\/(\d+)\/([0-9a-f-]+)\.jsonl$/.exec(request.path);
    if (!match) return null;
    if (request.method !== "GET")
      return { status: 405, headers: { allow: "GET" }, body: "Method Not Allowed" };
    const record = this.records.get(Number(match[1]));
    if (!record || record.token !== match[2] || !(record.url || record.partialDataUrl))
      return {
        status: 404,
        body: "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code></Error>",
      };
    if (record.finishedAt !== null && this.options.clock() > record.finishedAt + BULK_URL_TTL_MS)
      return {
        status: 400,
        body: "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>",
      };
    const size = record.fileSize ?? statSync(record.file).size;
    const range = /^bytes=(\d+)-$/.exec(String(request.headers.range ?? ""));
    const start = range ? Number(range[1]) : 0;
    if (start > 0 && start >= size)
      return { status: 416, headers: { "content-range": `bytes */${size}` }, body: "" };
    return {
      status: range ? 206 : 200,
      headers: {
        "content-type": "application/jsonl",
        "content-length": String(size - start),
        "accept-ranges": "bytes",
        ...(range ? { "content-range": `bytes ${start}-${size - 1}/${size}` } : {}),
      },
      stream: () => createReadStream(record.file, { start }),
    };
  }

  /** Stops running operations (no more webhooks) and deletes the result files. */
  close(): void {
    this.closed = true;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
