import {
  seededRandom,
  startFake,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type StartFakeOptions,
} from "./common";
import {
  KLAVIYO_PINNED_REVISION,
  loadKlaviyoSpec,
  type KlaviyoOperationSpec,
  type KlaviyoSpec,
  type KlaviyoSpecTimings,
} from "./klaviyo-openapi";

/**
 * A loopback fake of Klaviyo's REST API (`/api/…`, JSON:API), for tests, the sandbox and
 * benchmarks. It checks what Klaviyo checks — private key, scopes, the `revision` header,
 * content type, the request body against the operation's schema in Klaviyo's own OpenAPI
 * document, size and count limits, per-account rate limits from the spec — and keeps what
 * Klaviyo would hold (profiles, events, metrics, lists, memberships, bulk import jobs) in
 * `state` for assertions and for the sandbox inbox.
 *
 *   const klaviyo = await startKlaviyoFake(); // accepts DEFAULT_KLAVIYO_API_KEY, all scopes
 *   // point the client at klaviyo.url with `revision: 2026-07-15`, then assert on
 *   // klaviyo.state.events, klaviyo.findProfile({ email }), klaviyo.listMemberIds(listId)
 *   await klaviyo.close();
 */

export { KLAVIYO_PINNED_REVISION } from "./klaviyo-openapi";

/** Private key accepted by a fake started without `apiKeys`; it carries every scope. */
export const DEFAULT_KLAVIYO_API_KEY = "pk_sandbox_0000000000000000000000000000";
export const DEFAULT_KLAVIYO_ACCOUNT_NAME = "Switchboard Sandbox";

/** Operations this fake implements (Klaviyo operationIds). Others in the spec answer 501. */
export const KLAVIYO_FAKE_OPERATIONS = [
  "get_accounts",
  "create_event",
  "get_metrics",
  "get_metric",
  "create_or_update_profile",
  "get_profiles",
  "get_profile",
  "create_list",
  "get_lists",
  "get_list",
  "get_profile_ids_for_list",
  "add_profiles_to_list",
  "remove_profiles_from_list",
  "bulk_import_profiles",
  "get_bulk_import_profiles_job",
  "get_errors_for_bulk_import_profiles_job",
  "request_profile_deletion",
] as const;

export type KlaviyoOperationId = (typeof KLAVIYO_FAKE_OPERATIONS)[number];

/** Documented limits the fake enforces (from the operation descriptions in the spec). */
export const KLAVIYO_LIMITS = {
  listMembersPerCall: 1_000,
  bulkImportProfiles: 10_000,
  bulkImportBytes: 5_000_000,
  bulkImportProfileBytes: 100_000,
  profileImportBytes: 100_000,
  eventBytes: 5_000_000,
  eventProperties: 400,
  eventStringBytes: 100_000,
  metricNameLength: 128,
} as const;

// ---------------------------------------------------------------------------------------------
// Public types

export type KlaviyoScope = string;

export interface KlaviyoApiKeyConfig {
  /** Shown as the organization name by GET /api/accounts. Keys with the same name share an account. */
  accountName: string;
  /** "all" (default) or an explicit list such as ["events:write", "profiles:read"]. */
  scopes?: readonly KlaviyoScope[] | "all";
  /** Override the derived 6-character account id (which is also the public API key). */
  accountId?: string;
}

export interface KlaviyoRateBudget {
  /** Requests per fixed 1-second window. */
  burst: number;
  /** Requests per fixed 1-minute window. */
  steady: number;
  /** Requests per fixed day, where Klaviyo sets one. */
  daily?: number;
}

export interface KlaviyoFakeOptions extends StartFakeOptions {
  /** Private key → account and scopes. Default: DEFAULT_KLAVIYO_API_KEY with every scope. */
  apiKeys?: Record<string, KlaviyoApiKeyConfig>;
  /** The only `revision` header value accepted. Default "2026-07-15" (the spec's revision). */
  revision?: string;
  /**
   * Per-operation budget overrides (merged over the spec's x-klaviyo-ratelimit), or `false` to
   * switch rate limiting off.
   */
  rateLimits?: false | Partial<Record<KlaviyoOperationId, Partial<KlaviyoRateBudget>>>;
  /** How long a bulk import job takes: queued for the first half, processing for the second. */
  importJobDelayMs?: number;
  /** Milliseconds since the epoch; drives timestamps and rate-limit windows. Default Date.now. */
  clock?: () => number;
  /** Path of the OpenAPI file (else $KLAVIYO_OPENAPI_SPEC or the reference folder). */
  specPath?: string;
  /** Reject undeclared attributes as Klaviyo does. Default true. */
  strictAttributes?: boolean;
}

export interface KlaviyoLocation {
  address1: string | null;
  address2: string | null;
  city: string | null;
  country: string | null;
  latitude: string | number | null;
  longitude: string | number | null;
  region: string | null;
  zip: string | null;
  timezone: string | null;
  ip: string | null;
}

export interface KlaviyoProfile {
  id: string;
  email: string | null;
  phone_number: string | null;
  external_id: string | null;
  anonymous_id: string | null;
  first_name: string | null;
  last_name: string | null;
  organization: string | null;
  locale: string | null;
  title: string | null;
  image: string | null;
  location: KlaviyoLocation;
  properties: Record<string, unknown>;
  created: string;
  updated: string;
  last_event_date: string | null;
}

export interface KlaviyoMetric {
  id: string;
  name: string;
  service: string;
  created: string;
  updated: string;
}

export interface KlaviyoEvent {
  id: string;
  metricId: string;
  metricName: string;
  profileId: string;
  properties: Record<string, unknown>;
  value: number | null;
  value_currency: string | null;
  /** As sent, or Klaviyo's default: the event time to the second. */
  unique_id: string;
  /** Event time, truncated to the second. */
  time: string;
  /** When the fake received it. */
  received: string;
  backfill: boolean;
}

export interface KlaviyoList {
  id: string;
  name: string;
  opt_in_process: "single_opt_in" | "double_opt_in";
  created: string;
  updated: string;
}

export interface KlaviyoListMember {
  profileId: string;
  joined: string;
  /** Insertion order, used as the pagination key. */
  seq: number;
}

export interface KlaviyoImportError {
  id: string;
  code: string;
  title: string;
  detail: string;
  source: { pointer: string };
  original_payload: Record<string, unknown> | null;
}

export type KlaviyoImportJobStatus = "queued" | "processing" | "complete" | "cancelled";

export interface KlaviyoBulkImportJob {
  id: string;
  status: KlaviyoImportJobStatus;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  expires_at: string;
  total_count: number;
  completed_count: number;
  failed_count: number;
  listIds: string[];
  /** Profiles the job created or updated (filled on completion). */
  profileIds: string[];
  errors: KlaviyoImportError[];
}

export interface KlaviyoAccountInfo {
  id: string;
  name: string;
  publicApiKey: string;
}

/** One accepted `POST /api/data-privacy-deletion-jobs`, and the profiles it deleted. */
export interface KlaviyoDeletionRequest {
  identifier: { email?: string; phone_number?: string; id?: string };
  requested: string;
  deletedProfileIds: string[];
}

/** What one Klaviyo account holds. Maps are keyed by id and keep insertion order. */
export interface KlaviyoAccountState {
  account: KlaviyoAccountInfo;
  profiles: Map<string, KlaviyoProfile>;
  /** Stored events, oldest first. */
  events: KlaviyoEvent[];
  /** Events answered 202 but dropped because profile + metric + unique_id repeated. */
  duplicateEvents: KlaviyoEvent[];
  metrics: Map<string, KlaviyoMetric>;
  lists: Map<string, KlaviyoList>;
  /** list id → profile id → membership. */
  listMembers: Map<string, Map<string, KlaviyoListMember>>;
  bulkImportJobs: Map<string, KlaviyoBulkImportJob>;
  /** Data Privacy deletion requests, oldest first. */
  deletionRequests: KlaviyoDeletionRequest[];
}

/** Plain-JSON view of every account, for the sandbox inbox page. */
export interface KlaviyoSnapshot {
  accounts: Array<{
    account: KlaviyoAccountInfo;
    profiles: KlaviyoProfile[];
    events: KlaviyoEvent[];
    duplicateEvents: KlaviyoEvent[];
    metrics: KlaviyoMetric[];
    lists: Array<KlaviyoList & { profileIds: string[] }>;
    bulkImportJobs: KlaviyoBulkImportJob[];
  }>;
}

export interface KlaviyoFake extends FakeServer {
  /** State of the account behind the first configured key. */
  readonly state: KlaviyoAccountState;
  /** Every account, keyed by account id. */
  readonly accounts: ReadonlyMap<string, KlaviyoAccountState>;
  /** State of the account a private key (or account id) belongs to. */
  accountState(keyOrAccountId: string): KlaviyoAccountState | undefined;
  /** Accept another private key from now on. */
  addApiKey(key: string, config: KlaviyoApiKeyConfig): void;
  /** Find a profile by identifier in the default (or given) account. */
  findProfile(
    query: { email?: string; phone_number?: string; external_id?: string },
    keyOrAccountId?: string,
  ): KlaviyoProfile | undefined;
  /** Profile ids on a list in join order, in the default (or given) account. */
  listMemberIds(listId: string, keyOrAccountId?: string): string[];
  /** Forget all data, rate-limit windows, pending jobs and recorded requests (not faults or keys). */
  reset(): void;
  /** Forget the rate-limit windows only: requests so far no longer count against any budget. */
  forgetRateLimits(): void;
  /** Finish every queued or processing bulk import job now. */
  runPendingJobs(): void;
  snapshot(): KlaviyoSnapshot;
  /** The loaded spec (for response validation in tests) and how long loading took. */
  readonly spec: KlaviyoSpec;
  readonly specTimings: KlaviyoSpecTimings;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Klaviyo's timestamp style: second precision, explicit +00:00. */
function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function randomString(random: () => number, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** Deterministic ids in Klaviyo's shapes: 6-char ids, ULID-like profile ids, UUID error ids. */
class IdFactory {
  private random: () => number;
  constructor(private readonly seed: number) {
    this.random = seededRandom(seed ^ 0x6b6c7679);
  }
  reset(): void {
    this.random = seededRandom(this.seed ^ 0x6b6c7679);
  }
  short(taken: (id: string) => boolean): string {
    for (;;) {
      const id = randomString(this.random, ALNUM, 6);
      if (!taken(id)) return id;
    }
  }
  ulid(taken: (id: string) => boolean): string {
    for (;;) {
      const id = `01${randomString(this.random, CROCKFORD, 24)}`;
      if (!taken(id)) return id;
    }
  }
  uuid(): string {
    const hex = randomString(this.random, "0123456789abcdef", 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

function accountIdFor(name: string): string {
  return randomString(seededRandom(fnv1a(name)), ALNUM, 6);
}

// ---------------------------------------------------------------------------------------------
// Errors (shape of components.responses.ClientError, plus the status/links/meta Klaviyo sends)

interface ApiErrorSpec {
  status: number;
  code: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
  meta?: Json;
}

class ApiError extends Error {
  constructor(readonly errors: ApiErrorSpec[]) {
    super(errors.map((e) => e.detail).join("; "));
  }
}

function invalid(detail: string, source: { pointer?: string; parameter?: string }): ApiError {
  return new ApiError([{ status: 400, code: "invalid", title: "Invalid input.", detail, source }]);
}

function notFound(detail: string): ApiError {
  return new ApiError([
    { status: 404, code: "not_found", title: "Not found.", detail, source: { pointer: "/data/" } },
  ]);
}

function tooLarge(limitBytes: number, actualBytes: number): ApiError {
  return new ApiError([
    {
      status: 413,
      code: "payload_too_large",
      title: "Payload too large.",
      detail: `The request body is ${actualBytes} bytes; this endpoint accepts at most ${limitBytes} bytes.`,
      source: { pointer: "/data/" },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Rate limiting: fixed windows per account and operation

interface WindowCount {
  start: number;
  count: number;
}

type RateDecision =
  | { ok: true; limit: number; remaining: number; reset: number }
  | { ok: false; retryAfter: number; window: "burst" | "steady" | "daily"; limit: number };

class RateLimiter {
  private readonly windows = new Map<string, WindowCount[]>();

  clear(): void {
    this.windows.clear();
  }

  take(key: string, budget: KlaviyoRateBudget, now: number): RateDecision {
    const plan: Array<["burst" | "steady" | "daily", number, number]> = [
      ["burst", 1_000, budget.burst],
      ["steady", 60_000, budget.steady],
      ["daily", 86_400_000, budget.daily ?? Number.POSITIVE_INFINITY],
    ];
    const counts = this.windows.get(key) ?? plan.map(() => ({ start: 0, count: 0 }));
    this.windows.set(key, counts);
    plan.forEach(([, size], index) => {
      const start = Math.floor(now / size) * size;
      const window = counts[index]!;
      if (window.start !== start) {
        window.start = start;
        window.count = 0;
      }
    });
    for (const [index, [name, size, limit]] of plan.entries()) {
      if (counts[index]!.count >= limit) {
        const waitMs = counts[index]!.start + size - now;
        return {
          ok: false,
          retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
          window: name,
          limit,
        };
      }
    }
    counts.forEach((window) => {
      window.count += 1;
    });
    // Klaviyo's RateLimit-* headers describe the steady (1-minute) window.
    const steady = counts[1]!;
    return {
      ok: true,
      limit: budget.steady,
      remaining: Math.max(0, budget.steady - steady.count),
      reset: Math.max(1, Math.ceil((steady.start + 60_000 - now) / 1000)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Filters: equals(field,"v"), any(field,["a","b"]), greater-than(field,2024-01-01T00:00:00Z),
// combined with and(…)/or(…)/not(…) or top-level commas.

type FilterNode =
  | { kind: "and"; children: FilterNode[] }
  | { kind: "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "cond"; op: string; field: string; value: unknown };

class FilterParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): FilterNode {
    const nodes = [this.call()];
    while (this.peek() === ",") {
      this.pos += 1;
      nodes.push(this.call());
    }
    this.skip();
    if (this.pos !== this.text.length) this.fail(`unexpected '${this.text.slice(this.pos)}'`);
    return nodes.length === 1 ? nodes[0]! : { kind: "and", children: nodes };
  }

  private fail(message: string): never {
    throw invalid(`Invalid filter: ${message}.`, { parameter: "filter" });
  }

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }

  private peek(): string | undefined {
    this.skip();
    return this.text[this.pos];
  }

  private expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected '${char}' at position ${this.pos}`);
    this.pos += 1;
  }

  private call(): FilterNode {
    this.skip();
    const name = /^[a-z-]+/.exec(this.text.slice(this.pos))?.[0];
    if (!name) this.fail(`expected an operator at position ${this.pos}`);
    this.pos += name.length;
    this.expect("(");
    if (name === "and" || name === "or" || name === "not") {
      const children = [this.call()];
      while (this.peek() === ",") {
        this.pos += 1;
        children.push(this.call());
      }
      this.expect(")");
      if (name === "not") {
        if (children.length !== 1) this.fail("not() takes one condition");
        return { kind: "not", child: children[0]! };
      }
      return name === "and" ? { kind: "and", children } : { kind: "or", children };
    }
    this.skip();
    const field = /^[A-Za-z0-9_.$-]+/.exec(this.text.slice(this.pos))?.[0];
    if (!field) this.fail(`expected a field name in ${name}()`);
    this.pos += field.length;
    this.expect(",");
    const value = this.value();
    this.expect(")");
    return { kind: "cond", op: name, field, value };
  }

  private value(): unknown {
    const char = this.peek();
    if (char === '"' || char === "'") {
      this.pos += 1;
      let out = "";
      while (this.pos < this.text.length && this.text[this.pos] !== char) {
        if (this.text[this.pos] === "\\") this.pos += 1;
        out += this.text[this.pos] ?? "";
        this.pos += 1;
      }
      if (this.text[this.pos] !== char) this.fail("unterminated string");
      this.pos += 1;
      return out;
    }
    if (char === "[") {
      this.pos += 1;
      const values: unknown[] = [];
      if (this.peek() === "]") {
        this.pos += 1;
        return values;
      }
      values.push(this.value());
      while (this.peek() === ",") {
        this.pos += 1;
        values.push(this.value());
      }
      this.expect("]");
      return values;
    }
    const token = /^[^,)\]]+/.exec(this.text.slice(this.pos))?.[0]?.trim();
    if (!token) this.fail(`expected a value at position ${this.pos}`);
    this.pos += /^[^,)\]]+/.exec(this.text.slice(this.pos))![0].length;
    if (token === "true") return true;
    if (token === "false") return false;
    if (token === "null") return null;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    return token; // bare datetime, e.g. 2024-01-01T00:00:00Z
  }
}

type FieldGetter<T> = (record: T, field: string) => string | number | null | undefined;

function compileFilter<T>(
  op: KlaviyoOperationSpec,
  text: string | null,
  getter: FieldGetter<T>,
  supported: readonly string[],
): (record: T) => boolean {
  if (text === null || text.trim() === "") return () => true;
  const root = new FilterParser(text).parse();
  const check = (node: FilterNode): void => {
    if (node.kind === "and" || node.kind === "or") return node.children.forEach(check);
    if (node.kind === "not") return check(node.child);
    const spec = op.filters.get(node.field);
    if (!spec) {
      throw invalid(`'${node.field}' is not a valid field for filtering.`, { parameter: "filter" });
    }
    if (!spec.operators.includes(node.op)) {
      throw invalid(
        `'${node.op}' is not a valid operator for '${node.field}'. Valid operators: ${spec.operators.join(", ")}.`,
        { parameter: "filter" },
      );
    }
    if (!supported.includes(node.field)) {
      throw invalid(`Filtering on '${node.field}' is not implemented by the Klaviyo fake.`, {
        parameter: "filter",
      });
    }
    const values = Array.isArray(node.value) ? node.value : [node.value];
    if (node.op === "any" && !Array.isArray(node.value)) {
      throw invalid(`any() needs a list, e.g. any(${node.field},["a","b"]).`, {
        parameter: "filter",
      });
    }
    if (
      spec.valueFormat === "date-time" &&
      values.some((v) => Number.isNaN(Date.parse(String(v))))
    ) {
      throw invalid(`'${node.field}' needs an ISO 8601 datetime.`, { parameter: "filter" });
    }
  };
  check(root);
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  const evaluate = (node: FilterNode, record: T): boolean => {
    if (node.kind === "and") return node.children.every((child) => evaluate(child, record));
    if (node.kind === "or") return node.children.some((child) => evaluate(child, record));
    if (node.kind === "not") return !evaluate(node.child, record);
    const actual = getter(record, node.field);
    const spec = op.filters.get(node.field)!;
    const values = Array.isArray(node.value) ? node.value : [node.value];
    if (spec.valueFormat === "date-time") {
      if (actual === null || actual === undefined) return false;
      const left = Date.parse(String(actual));
      const right = Date.parse(String(values[0]));
      switch (node.op) {
        case "greater-than":
          return left > right;
        case "greater-or-equal":
          return left >= right;
        case "less-than":
          return left < right;
        case "less-or-equal":
          return left <= right;
        default:
          return values.some((v) => Date.parse(String(v)) === left);
      }
    }
    // Emails compare case-insensitively, as Klaviyo treats them.
    const fold = node.field === "email" ? lower : (v: unknown) => v;
    switch (node.op) {
      case "equals":
      case "any":
        return values.some((v) => fold(v) === fold(actual));
      case "contains":
        return typeof actual === "string" && actual.includes(String(values[0]));
      case "starts-with":
        return typeof actual === "string" && actual.startsWith(String(values[0]));
      case "ends-with":
        return typeof actual === "string" && actual.endsWith(String(values[0]));
      default:
        return false;
    }
  };
  return (record) => evaluate(root, record);
}

// ---------------------------------------------------------------------------------------------
// Per-account store with identifier indexes

const EMPTY_LOCATION: KlaviyoLocation = {
  address1: null,
  address2: null,
  city: null,
  country: null,
  latitude: null,
  longitude: null,
  region: null,
  zip: null,
  timezone: null,
  ip: null,
};

const SIMPLE_PROFILE_FIELDS = [
  "email",
  "phone_number",
  "external_id",
  "anonymous_id",
  "first_name",
  "last_name",
  "organization",
  "locale",
  "title",
  "image",
] as const;

type IdentifierField = "email" | "phone_number" | "external_id" | "anonymous_id";
const IDENTIFIERS: readonly IdentifierField[] = [
  "email",
  "phone_number",
  "external_id",
  "anonymous_id",
];

function identifierKey(field: IdentifierField, value: string): string {
  return field === "email" ? value.trim().toLowerCase() : value;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+[1-9]\d{6,14}$/;

class AccountStore {
  readonly state: KlaviyoAccountState;
  private readonly index = new Map<IdentifierField, Map<string, string>>(
    IDENTIFIERS.map((field) => [field, new Map<string, string>()]),
  );
  private readonly eventKeys = new Set<string>();
  private memberSeq = 0;

  constructor(account: KlaviyoAccountInfo) {
    this.state = {
      account,
      profiles: new Map(),
      events: [],
      duplicateEvents: [],
      metrics: new Map(),
      lists: new Map(),
      listMembers: new Map(),
      bulkImportJobs: new Map(),
      deletionRequests: [],
    };
  }

  clear(): void {
    const s = this.state;
    s.profiles.clear();
    s.events.length = 0;
    s.duplicateEvents.length = 0;
    s.metrics.clear();
    s.lists.clear();
    s.listMembers.clear();
    s.bulkImportJobs.clear();
    s.deletionRequests.length = 0;
    this.index.forEach((map) => map.clear());
    this.eventKeys.clear();
    this.memberSeq = 0;
  }

  lookup(field: IdentifierField, value: string): KlaviyoProfile | undefined {
    const id = this.index.get(field)!.get(identifierKey(field, value));
    return id ? this.state.profiles.get(id) : undefined;
  }

  /** Profiles matched by the identifiers in `attrs`, in precedence order, without repeats. */
  matches(attrs: Json): KlaviyoProfile[] {
    const found: KlaviyoProfile[] = [];
    for (const field of IDENTIFIERS) {
      const value = attrs[field];
      if (typeof value !== "string" || value === "") continue;
      const profile = this.lookup(field, value);
      if (profile && !found.includes(profile)) found.push(profile);
    }
    return found;
  }

  /** Deletes a profile with its list memberships and events, as a Data Privacy deletion does. */
  deleteProfile(profile: KlaviyoProfile): void {
    const before: Partial<Record<IdentifierField, string | null>> = {};
    for (const field of IDENTIFIERS) {
      before[field] = profile[field];
      profile[field] = null;
    }
    this.reindex(profile, before);
    this.state.profiles.delete(profile.id);
    this.state.listMembers.forEach((members) => members.delete(profile.id));
    const keep = (e: KlaviyoEvent) => e.profileId !== profile.id;
    this.state.events.splice(0, this.state.events.length, ...this.state.events.filter(keep));
  }

  insertProfile(profile: KlaviyoProfile): void {
    this.state.profiles.set(profile.id, profile);
    this.reindex(profile, {});
  }

  /** Keeps the identifier indexes in step after `profile` changed from `before`. */
  reindex(profile: KlaviyoProfile, before: Partial<Record<IdentifierField, string | null>>): void {
    for (const field of IDENTIFIERS) {
      const map = this.index.get(field)!;
      const old = before[field];
      if (old) map.delete(identifierKey(field, old));
      const now = profile[field];
      if (now) map.set(identifierKey(field, now), profile.id);
    }
  }

  /** False when the same profile + metric + unique_id was already recorded. */
  rememberEvent(profileId: string, metricId: string, uniqueId: string): boolean {
    const key = `${profileId}\u0000${metricId}\u0000${uniqueId}`;
    if (this.eventKeys.has(key)) return false;
    this.eventKeys.add(key);
    return true;
  }

  addMember(listId: string, profileId: string, joined: string): void {
    const members = this.state.listMembers.get(listId) ?? new Map<string, KlaviyoListMember>();
    this.state.listMembers.set(listId, members);
    if (members.has(profileId)) return;
    this.memberSeq += 1;
    members.set(profileId, { profileId, joined, seq: this.memberSeq });
  }
}

interface KeyEntry {
  accountId: string;
  scopes: "all" | Set<string>;
}

// ---------------------------------------------------------------------------------------------
// The fake

interface Context {
  op: KlaviyoOperationSpec;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  store: AccountStore;
  /** Origin the client used, e.g. http://127.0.0.1:5173, for JSON:API links. */
  origin: string;
  /** Path + query string as requested. */
  requestUrl: string;
  now: number;
  bodyBytes: number;
}

type Handler = (ctx: Context) => FakeResponse;

const JSON_API = "application/vnd.api+json";

export async function startKlaviyoFake(options: KlaviyoFakeOptions = {}): Promise<KlaviyoFake> {
  const spec = loadKlaviyoSpec({
    file: options.specPath,
    strictAttributes: options.strictAttributes,
  });
  spec.precompile(KLAVIYO_FAKE_OPERATIONS);
  const clock = options.clock ?? Date.now;
  const revision = options.revision ?? KLAVIYO_PINNED_REVISION;
  const importJobDelayMs = options.importJobDelayMs ?? 200;
  const ids = new IdFactory(options.seed ?? 42);
  const limiter = new RateLimiter();
  const rateOverrides = options.rateLimits;

  const stores = new Map<string, AccountStore>();
  const keys = new Map<string, KeyEntry>();
  const accountViews = new Map<string, KlaviyoAccountState>();

  const addApiKey = (key: string, config: KlaviyoApiKeyConfig) => {
    const accountId = config.accountId ?? accountIdFor(config.accountName);
    if (!stores.has(accountId)) {
      const store = new AccountStore({
        id: accountId,
        name: config.accountName,
        publicApiKey: accountId,
      });
      stores.set(accountId, store);
      accountViews.set(accountId, store.state);
    }
    const scopes = config.scopes ?? "all";
    keys.set(key, { accountId, scopes: scopes === "all" ? "all" : new Set(scopes) });
  };
  const configuredKeys = options.apiKeys ?? {
    [DEFAULT_KLAVIYO_API_KEY]: { accountName: DEFAULT_KLAVIYO_ACCOUNT_NAME, scopes: "all" },
  };
  for (const [key, config] of Object.entries(configuredKeys)) addApiKey(key, config);
  const firstKey = Object.keys(configuredKeys)[0];
  if (!firstKey) throw new Error("startKlaviyoFake: apiKeys must name at least one key");
  const defaultAccountId = keys.get(firstKey)!.accountId;

  const storeFor = (keyOrAccountId?: string): AccountStore | undefined => {
    if (keyOrAccountId === undefined) return stores.get(defaultAccountId);
    const byKey = keys.get(keyOrAccountId);
    return stores.get(byKey ? byKey.accountId : keyOrAccountId);
  };

  const budgetFor = (op: KlaviyoOperationSpec): KlaviyoRateBudget | undefined => {
    if (rateOverrides === false) return undefined;
    const override = rateOverrides?.[op.operationId as KlaviyoOperationId] ?? {};
    return {
      burst: override.burst ?? op.rateLimit.burst,
      steady: override.steady ?? op.rateLimit.steady,
      daily: override.daily ?? op.rateLimit.daily,
    };
  };

  // ---- bulk import job lifecycle --------------------------------------------------------------

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const pendingJobs = new Map<
    string,
    { store: AccountStore; profiles: Json[]; failed: Set<number> }
  >();

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref?.();
    timers.add(timer);
  };

  const startJob = (job: KlaviyoBulkImportJob) => {
    if (job.status === "queued") {
      job.status = "processing";
      job.started_at = iso(clock());
    }
  };

  const finishJob = (jobId: string) => {
    const pending = pendingJobs.get(jobId);
    if (!pending) return;
    pendingJobs.delete(jobId);
    const { store, profiles, failed } = pending;
    const job = store.state.bulkImportJobs.get(jobId);
    if (!job || job.status === "complete" || job.status === "cancelled") return;
    startJob(job);
    const now = clock();
    profiles.forEach((resource, index) => {
      if (failed.has(index)) return;
      const pointer = `/data/attributes/profiles/data/${index}`;
      try {
        const { profile } = upsertProfile(store, resource, pointer, "import", now);
        if (!job.profileIds.includes(profile.id)) job.profileIds.push(profile.id);
        for (const listId of job.listIds) {
          if (store.state.lists.has(listId)) store.addMember(listId, profile.id, iso(now));
        }
        job.completed_count += 1;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const first = error.errors[0]!;
        job.errors.push({
          id: ids.uuid(),
          code: first.code,
          title: first.title,
          detail: first.detail,
          source: { pointer: first.source?.pointer ?? pointer },
          original_payload: isRecord(resource.attributes) ? resource.attributes : null,
        });
        job.failed_count += 1;
      }
    });
    job.status = "complete";
    job.completed_at = iso(clock());
  };

  // ---- profiles ------------------------------------------------------------------------------

  /**
   * Create-or-update with Klaviyo's rules: `null` clears a field, an omitted field stays;
   * properties and location merge key by key. Mode "import" (profile-import, bulk import) is
   * strict about identifiers that belong to two different profiles (409); mode "event" picks
   * the profile by identifier precedence and leaves conflicting identifiers alone.
   */
  function upsertProfile(
    store: AccountStore,
    resource: Json,
    pointer: string,
    mode: "import" | "event",
    now: number,
  ): { profile: KlaviyoProfile; created: boolean } {
    const attrs = isRecord(resource.attributes) ? resource.attributes : {};
    const id = typeof resource.id === "string" && resource.id !== "" ? resource.id : undefined;

    for (const field of ["email", "phone_number"] as const) {
      const value = attrs[field];
      if (typeof value !== "string") continue;
      const valid =
        field === "email" ? EMAIL_PATTERN.test(value.trim()) : PHONE_PATTERN.test(value);
      if (!valid) {
        throw invalid(
          field === "email"
            ? `Invalid email address: '${value}'.`
            : `Invalid phone number format (example of a valid format: +12345678901): '${value}'.`,
          { pointer: `${pointer}/attributes/${field}` },
        );
      }
    }

    const matched = store.matches(attrs);
    let profile: KlaviyoProfile | undefined;
    if (id) {
      profile = store.state.profiles.get(id);
      if (!profile) {
        throw new ApiError([
          {
            status: 404,
            code: "not_found",
            title: "Not found.",
            detail: `A profile with id '${id}' does not exist.`,
            source: { pointer: `${pointer}/id` },
          },
        ]);
      }
    } else {
      profile = matched[0];
    }
    const other = matched.find((candidate) => candidate !== profile);
    if (other && mode === "import") {
      throw new ApiError([
        {
          status: 409,
          code: "duplicate_profile",
          title: "Conflict.",
          detail: "A profile already exists with one of these identifiers.",
          source: { pointer: `${pointer}/attributes` },
          meta: { duplicate_profile_id: other.id },
        },
      ]);
    }

    const created = !profile;
    if (!profile) {
      const hasIdentifier = IDENTIFIERS.some(
        (field) => typeof attrs[field] === "string" && attrs[field] !== "",
      );
      if (!hasIdentifier) {
        throw invalid(
          "A profile needs at least one identifier: email, phone_number, external_id (or an existing id).",
          { pointer: `${pointer}/attributes` },
        );
      }
      profile = {
        id: ids.ulid((candidate) => store.state.profiles.has(candidate)),
        email: null,
        phone_number: null,
        external_id: null,
        anonymous_id: null,
        first_name: null,
        last_name: null,
        organization: null,
        locale: null,
        title: null,
        image: null,
        location: { ...EMPTY_LOCATION },
        properties: {},
        created: iso(now),
        updated: iso(now),
        last_event_date: null,
      };
      store.insertProfile(profile);
    }

    const before: Partial<Record<IdentifierField, string | null>> = {};
    IDENTIFIERS.forEach((field) => {
      before[field] = profile[field];
    });
    let changed = false;
    for (const field of SIMPLE_PROFILE_FIELDS) {
      if (!(field in attrs)) continue;
      const value = attrs[field];
      if (value !== null && typeof value !== "string") continue;
      if ((IDENTIFIERS as readonly string[]).includes(field) && typeof value === "string") {
        const owner = store.lookup(field as IdentifierField, value);
        if (owner && owner !== profile) continue; // event mode: never steal another's identifier
      }
      if (profile[field] !== value) {
        profile[field] = value;
        changed = true;
      }
    }
    if ("location" in attrs) {
      const location = attrs.location;
      if (location === null) {
        profile.location = { ...EMPTY_LOCATION };
        changed = true;
      } else if (isRecord(location)) {
        for (const [key, value] of Object.entries(location)) {
          if (key in EMPTY_LOCATION) {
            (profile.location as unknown as Json)[key] = value;
            changed = true;
          }
        }
      }
    }
    if ("properties" in attrs) {
      if (attrs.properties === null) profile.properties = {};
      else if (isRecord(attrs.properties)) Object.assign(profile.properties, attrs.properties);
      changed = true;
    }
    const meta = isRecord(resource.meta) ? resource.meta : undefined;
    const patch = meta && isRecord(meta.patch_properties) ? meta.patch_properties : undefined;
    if (patch) {
      changed = applyPatchProperties(profile.properties, patch) || changed;
    }
    store.reindex(profile, before);
    if (changed && !created) profile.updated = iso(now);
    return { profile, created };
  }

  function applyPatchProperties(properties: Record<string, unknown>, patch: Json): boolean {
    let changed = false;
    const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);
    if (isRecord(patch.append)) {
      for (const [key, value] of Object.entries(patch.append)) {
        const current = properties[key];
        const list = Array.isArray(current) ? [...current] : current === undefined ? [] : [current];
        properties[key] = [...list, ...asList(value)];
        changed = true;
      }
    }
    if (isRecord(patch.unappend)) {
      for (const [key, value] of Object.entries(patch.unappend)) {
        const current = properties[key];
        if (!Array.isArray(current)) continue;
        const remove = asList(value);
        properties[key] = current.filter((item) => !remove.includes(item));
        changed = true;
      }
    }
    if (patch.unset !== undefined && patch.unset !== null) {
      for (const key of asList(patch.unset)) {
        if (typeof key === "string" && key in properties) {
          delete properties[key];
          changed = true;
        }
      }
    }
    return changed;
  }

  // ---- JSON:API documents -------------------------------------------------------------------

  const sparse = (ctx: Context, type: string, attributes: Json): Json => {
    const fields = ctx.query.get(`fields[${type}]`);
    if (!fields) return attributes;
    const wanted = fields.split(",").map((f) => f.trim());
    const out: Json = {};
    for (const field of wanted) {
      const [head, sub] = field.split(".", 2) as [string, string | undefined];
      if (!(head in attributes)) continue;
      if (sub === undefined) out[head] = attributes[head];
      else if (isRecord(attributes[head])) {
        const nested = isRecord(out[head]) ? out[head] : {};
        nested[sub] = attributes[head][sub];
        out[head] = nested;
      }
    }
    return out;
  };

  const relationship = (ctx: Context, base: string, name: string) => ({
    links: {
      self: `${ctx.origin}/api/${base}/relationships/${name}/`,
      related: `${ctx.origin}/api/${base}/${name}/`,
    },
  });

  const additional = (ctx: Context, type: string): string[] =>
    (ctx.query.get(`additional-fields[${type}]`) ?? "").split(",").filter(Boolean);

  const profileResource = (ctx: Context, profile: KlaviyoProfile): Json => {
    const attributes: Json = {
      email: profile.email,
      phone_number: profile.phone_number,
      external_id: profile.external_id,
      first_name: profile.first_name,
      last_name: profile.last_name,
      organization: profile.organization,
      locale: profile.locale,
      title: profile.title,
      image: profile.image,
      created: profile.created,
      updated: profile.updated,
      last_event_date: profile.last_event_date,
      location: { ...profile.location },
      properties: { ...profile.properties },
    };
    const extra = additional(ctx, "profile");
    if (extra.includes("subscriptions")) {
      attributes.subscriptions = {
        email: {
          marketing: {
            can_receive_email_marketing: false,
            consent: "NEVER_SUBSCRIBED",
            consent_timestamp: null,
            last_updated: null,
            method: null,
            method_detail: null,
            custom_method_detail: null,
            double_optin: null,
            suppression: [],
            list_suppressions: [],
          },
        },
        sms: {
          marketing: {
            can_receive_sms_marketing: false,
            consent: "NEVER_SUBSCRIBED",
            consent_timestamp: null,
            method: null,
            method_detail: null,
            last_updated: null,
          },
        },
      };
    }
    if (extra.includes("predictive_analytics")) {
      attributes.predictive_analytics = {
        historic_clv: null,
        predicted_clv: null,
        total_clv: null,
        historic_number_of_orders: null,
        predicted_number_of_orders: null,
        average_days_between_orders: null,
        average_order_value: null,
        churn_probability: null,
        expected_date_of_next_order: null,
      };
    }
    const base = `profiles/${profile.id}`;
    return {
      type: "profile",
      id: profile.id,
      attributes: sparse(ctx, "profile", attributes),
      relationships: {
        lists: relationship(ctx, base, "lists"),
        segments: relationship(ctx, base, "segments"),
      },
      links: { self: `${ctx.origin}/api/${base}/` },
    };
  };

  const listResource = (ctx: Context, list: KlaviyoList): Json => {
    const attributes: Json = {
      name: list.name,
      created: list.created,
      updated: list.updated,
      opt_in_process: list.opt_in_process,
    };
    if (additional(ctx, "list").includes("profile_count")) {
      attributes.profile_count = ctx.store.state.listMembers.get(list.id)?.size ?? 0;
    }
    const base = `lists/${list.id}`;
    return {
      type: "list",
      id: list.id,
      attributes: sparse(ctx, "list", attributes),
      relationships: {
        profiles: relationship(ctx, base, "profiles"),
        tags: relationship(ctx, base, "tags"),
        "flow-triggers": relationship(ctx, base, "flow-triggers"),
      },
      links: { self: `${ctx.origin}/api/${base}/` },
    };
  };

  const metricResource = (ctx: Context, metric: KlaviyoMetric): Json => ({
    type: "metric",
    id: metric.id,
    attributes: sparse(ctx, "metric", {
      name: metric.name,
      created: metric.created,
      updated: metric.updated,
      integration: {
        object: "integration",
        id: "0rG4eQ",
        key: metric.service,
        name: metric.service === "api" ? "API" : metric.service,
        category: "API",
      },
    }),
    relationships: { "flow-triggers": relationship(ctx, `metrics/${metric.id}`, "flow-triggers") },
    links: { self: `${ctx.origin}/api/metrics/${metric.id}/` },
  });

  const jobResource = (ctx: Context, job: KlaviyoBulkImportJob): Json => {
    const base = `profile-bulk-import-jobs/${job.id}`;
    return {
      type: "profile-bulk-import-job",
      id: job.id,
      attributes: sparse(ctx, "profile-bulk-import-job", {
        status: job.status,
        created_at: job.created_at,
        total_count: job.total_count,
        completed_count: job.completed_count,
        failed_count: job.failed_count,
        completed_at: job.completed_at,
        expires_at: job.expires_at,
        started_at: job.started_at,
      }),
      relationships: {
        lists: {
          data: job.listIds.map((id) => ({ type: "list", id })),
          ...relationship(ctx, base, "lists"),
        },
        profiles: relationship(ctx, base, "profiles"),
        "import-errors": { links: { related: `${ctx.origin}/api/${base}/import-errors/` } },
      },
      links: { self: `${ctx.origin}/api/${base}/` },
    };
  };

  const ok = (status: number, body?: unknown): FakeResponse => ({ status, body });

  /** Cursor pagination over `items` (already filtered and sorted). */
  const paginate = <T extends { id: string }>(
    ctx: Context,
    items: T[],
  ): { page: T[]; links: Json } => {
    const sizeSpec = ctx.op.queryParams.get("page[size]")?.schema;
    const defaultSize = typeof sizeSpec?.default === "number" ? sizeSpec.default : 200;
    const size = ctx.query.has("page[size]") ? Number(ctx.query.get("page[size]")) : defaultSize;
    let start = 0;
    const cursor = ctx.query.get("page[cursor]");
    if (cursor) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      } catch {
        decoded = undefined;
      }
      if (!isRecord(decoded) || typeof decoded.o !== "number") {
        throw invalid("Invalid page cursor.", { parameter: "page[cursor]" });
      }
      const after = typeof decoded.a === "string" ? items.findIndex((i) => i.id === decoded.a) : -1;
      start = after >= 0 ? after + 1 : decoded.o;
    }
    const page = items.slice(start, start + size);
    const links: Json = { self: `${ctx.origin}${ctx.requestUrl}` };
    if (start + size < items.length && page.length > 0) {
      const next = new URL(`${ctx.origin}${ctx.requestUrl}`);
      const token = { o: start + size, a: page[page.length - 1]!.id };
      next.searchParams.set(
        "page[cursor]",
        Buffer.from(JSON.stringify(token)).toString("base64url"),
      );
      links.next = next.toString();
    }
    if (start > 0) {
      const prev = new URL(`${ctx.origin}${ctx.requestUrl}`);
      const prevStart = Math.max(0, start - size);
      if (prevStart === 0) prev.searchParams.delete("page[cursor]");
      else {
        const token = { o: prevStart };
        prev.searchParams.set(
          "page[cursor]",
          Buffer.from(JSON.stringify(token)).toString("base64url"),
        );
      }
      links.prev = prev.toString();
    }
    return { page, links };
  };

  const sortBy = <T>(
    ctx: Context,
    items: T[],
    keys: Record<string, (item: T) => string | number | null>,
  ) => {
    const sort = ctx.query.get("sort");
    if (!sort) return items;
    const descending = sort.startsWith("-");
    const field = descending ? sort.slice(1) : sort;
    const key = keys[field];
    if (!key) {
      throw invalid(`Sorting by '${field}' is not implemented by the Klaviyo fake.`, {
        parameter: "sort",
      });
    }
    return [...items].sort((a, b) => {
      const left = key(a) ?? "";
      const right = key(b) ?? "";
      const order = left < right ? -1 : left > right ? 1 : 0;
      return descending ? -order : order;
    });
  };

  const requireList = (ctx: Context): KlaviyoList => {
    const list = ctx.store.state.lists.get(ctx.params.id ?? "");
    if (!list) throw notFound(`A list with id '${ctx.params.id}' does not exist.`);
    return list;
  };

  const memberIdsFrom = (ctx: Context): string[] => {
    const data = (ctx.body as { data: Array<{ id: string }> }).data;
    if (data.length > KLAVIYO_LIMITS.listMembersPerCall) {
      throw invalid(
        `A maximum of ${KLAVIYO_LIMITS.listMembersPerCall} profiles can be sent per call; got ${data.length}.`,
        { pointer: "/data" },
      );
    }
    return data.map((item) => item.id);
  };

  const checkStrings = (value: unknown, pointer: string): void => {
    if (typeof value === "string") {
      if (Buffer.byteLength(value) > KLAVIYO_LIMITS.eventStringBytes) {
        throw invalid(`Strings are limited to ${KLAVIYO_LIMITS.eventStringBytes} bytes.`, {
          pointer,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => checkStrings(item, `${pointer}/${index}`));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) checkStrings(item, `${pointer}/${key}`);
    }
  };

  // ---- operations ----------------------------------------------------------------------------

  const handlers: Record<KlaviyoOperationId, Handler> = {
    get_accounts(ctx) {
      const account = ctx.store.state.account;
      return ok(200, {
        data: [
          {
            type: "account",
            id: account.id,
            attributes: sparse(ctx, "account", {
              test_account: false,
              contact_information: {
                default_sender_name: account.name,
                default_sender_email: "hello@example.com",
                website_url: "https://example.com",
                organization_name: account.name,
                street_address: {
                  address1: "1 Sandbox Way",
                  address2: null,
                  city: "Boston",
                  region: "MA",
                  country: "United States",
                  zip: "02110",
                },
              },
              industry: null,
              timezone: "US/Eastern",
              preferred_currency: "USD",
              public_api_key: account.publicApiKey,
              locale: "en-US",
            }),
            links: { self: `${ctx.origin}/api/accounts/${account.id}/` },
          },
        ],
        links: { self: `${ctx.origin}${ctx.requestUrl}` },
      });
    },

    create_event(ctx) {
      if (ctx.bodyBytes > KLAVIYO_LIMITS.eventBytes)
        throw tooLarge(KLAVIYO_LIMITS.eventBytes, ctx.bodyBytes);
      const attrs = (ctx.body as { data: { attributes: Json } }).data.attributes;
      const properties = isRecord(attrs.properties) ? attrs.properties : {};
      if (Object.keys(properties).length > KLAVIYO_LIMITS.eventProperties) {
        throw invalid(`Events are limited to ${KLAVIYO_LIMITS.eventProperties} properties.`, {
          pointer: "/data/attributes/properties",
        });
      }
      checkStrings(properties, "/data/attributes/properties");
      const metricAttrs = (
        attrs.metric as { data: { attributes: { name: string; service?: string | null } } }
      ).data.attributes;
      if (
        metricAttrs.name.trim() === "" ||
        metricAttrs.name.length >= KLAVIYO_LIMITS.metricNameLength
      ) {
        throw invalid(
          `Metric names must be 1 to ${KLAVIYO_LIMITS.metricNameLength - 1} characters.`,
          {
            pointer: "/data/attributes/metric/data/attributes/name",
          },
        );
      }
      let time = ctx.now;
      if (typeof attrs.time === "string") {
        time = Date.parse(attrs.time);
        const earliest = Date.UTC(1990, 0, 1);
        const latest = ctx.now + 365 * 86_400_000;
        if (Number.isNaN(time) || time < earliest || time > latest) {
          throw invalid("The event time must be after 1990 and at most one year in the future.", {
            pointer: "/data/attributes/time",
          });
        }
      }
      time = Math.floor(time / 1000) * 1000;
      const profileResource = (attrs.profile as { data: Json }).data;
      const profileAttrs = isRecord(profileResource.attributes) ? profileResource.attributes : {};
      const identified =
        (typeof profileResource.id === "string" && profileResource.id !== "") ||
        [...IDENTIFIERS, "_kx"].some(
          (f) => typeof profileAttrs[f] === "string" && profileAttrs[f] !== "",
        );
      if (!identified) {
        throw invalid(
          "The profile needs at least one identifier: id, email, phone_number or external_id.",
          {
            pointer: "/data/attributes/profile/data/attributes",
          },
        );
      }
      const { profile } = upsertProfile(
        ctx.store,
        profileResource,
        "/data/attributes/profile/data",
        "event",
        ctx.now,
      );

      const state = ctx.store.state;
      const service = metricAttrs.service ?? "api";
      let metric = [...state.metrics.values()].find(
        (m) => m.name === metricAttrs.name && m.service === service,
      );
      if (!metric) {
        metric = {
          id: ids.short((candidate) => state.metrics.has(candidate)),
          name: metricAttrs.name,
          service,
          created: iso(ctx.now),
          updated: iso(ctx.now),
        };
        state.metrics.set(metric.id, metric);
      }
      const uniqueId =
        typeof attrs.unique_id === "string" && attrs.unique_id !== "" ? attrs.unique_id : iso(time);
      const event: KlaviyoEvent = {
        id: ids.short(() => false) + ids.short(() => false),
        metricId: metric.id,
        metricName: metric.name,
        profileId: profile.id,
        properties,
        value: typeof attrs.value === "number" ? attrs.value : null,
        value_currency: typeof attrs.value_currency === "string" ? attrs.value_currency : null,
        unique_id: uniqueId,
        time: iso(time),
        received: iso(ctx.now),
        backfill: attrs.backfill === true,
      };
      if (ctx.store.rememberEvent(profile.id, metric.id, uniqueId)) {
        state.events.push(event);
        if (!profile.last_event_date || Date.parse(profile.last_event_date) < time) {
          profile.last_event_date = iso(time);
        }
      } else {
        state.duplicateEvents.push(event);
      }
      return ok(202);
    },

    get_metrics(ctx) {
      const metrics = [...ctx.store.state.metrics.values()];
      const filter = compileFilter<KlaviyoMetric>(
        ctx.op,
        ctx.query.get("filter"),
        (m, field) =>
          field === "integration.name" ? (m.service === "api" ? "API" : m.service) : undefined,
        ["integration.name"],
      );
      const { page, links } = paginate(ctx, metrics.filter(filter));
      return ok(200, { data: page.map((m) => metricResource(ctx, m)), links });
    },

    get_metric(ctx) {
      const metric = ctx.store.state.metrics.get(ctx.params.id ?? "");
      if (!metric) throw notFound(`A metric with id '${ctx.params.id}' does not exist.`);
      return ok(200, {
        data: metricResource(ctx, metric),
        links: { self: `${ctx.origin}${ctx.requestUrl}` },
      });
    },

    create_or_update_profile(ctx) {
      if (ctx.bodyBytes > KLAVIYO_LIMITS.profileImportBytes) {
        throw tooLarge(KLAVIYO_LIMITS.profileImportBytes, ctx.bodyBytes);
      }
      const resource = (ctx.body as { data: Json }).data;
      const { profile, created } = upsertProfile(ctx.store, resource, "/data", "import", ctx.now);
      return ok(created ? 201 : 200, {
        data: profileResource(ctx, profile),
        links: { self: `${ctx.origin}/api/profile-import/` },
      });
    },

    get_profiles(ctx) {
      const filter = compileFilter<KlaviyoProfile>(
        ctx.op,
        ctx.query.get("filter"),
        (p, field) =>
          field in p ? (p[field as keyof KlaviyoProfile] as string | null) : undefined,
        ["id", "email", "phone_number", "external_id", "created", "updated"],
      );
      const profiles = sortBy(ctx, [...ctx.store.state.profiles.values()].filter(filter), {
        id: (p) => p.id,
        created: (p) => p.created,
        updated: (p) => p.updated,
        email: (p) => p.email,
      });
      const { page, links } = paginate(ctx, profiles);
      return ok(200, { data: page.map((p) => profileResource(ctx, p)), links });
    },

    get_profile(ctx) {
      const profile = ctx.store.state.profiles.get(ctx.params.id ?? "");
      if (!profile) throw notFound(`A profile with id '${ctx.params.id}' does not exist.`);
      return ok(200, {
        data: profileResource(ctx, profile),
        links: { self: `${ctx.origin}${ctx.requestUrl}` },
      });
    },

    create_list(ctx) {
      const attrs = (
        ctx.body as { data: { attributes: { name: string; opt_in_process?: string | null } } }
      ).data.attributes;
      if (attrs.name.trim() === "") {
        throw invalid("The list name cannot be blank.", { pointer: "/data/attributes/name" });
      }
      const state = ctx.store.state;
      const list: KlaviyoList = {
        id: ids.short((candidate) => state.lists.has(candidate)),
        name: attrs.name,
        opt_in_process:
          attrs.opt_in_process === "double_opt_in" ? "double_opt_in" : "single_opt_in",
        created: iso(ctx.now),
        updated: iso(ctx.now),
      };
      state.lists.set(list.id, list);
      state.listMembers.set(list.id, new Map());
      return ok(201, {
        data: listResource(ctx, list),
        links: { self: `${ctx.origin}/api/lists/` },
      });
    },

    get_lists(ctx) {
      const filter = compileFilter<KlaviyoList>(
        ctx.op,
        ctx.query.get("filter"),
        (l, field) => (field in l ? (l[field as keyof KlaviyoList] as string) : undefined),
        ["id", "name", "created", "updated"],
      );
      const lists = sortBy(ctx, [...ctx.store.state.lists.values()].filter(filter), {
        id: (l) => l.id,
        name: (l) => l.name,
        created: (l) => l.created,
        updated: (l) => l.updated,
      });
      const { page, links } = paginate(ctx, lists);
      return ok(200, { data: page.map((l) => listResource(ctx, l)), links });
    },

    get_list(ctx) {
      const list = requireList(ctx);
      return ok(200, {
        data: listResource(ctx, list),
        links: { self: `${ctx.origin}${ctx.requestUrl}` },
      });
    },

    get_profile_ids_for_list(ctx) {
      const list = requireList(ctx);
      const state = ctx.store.state;
      const members = [...(state.listMembers.get(list.id)?.values() ?? [])].map((m) => ({
        ...m,
        id: m.profileId,
      }));
      const filter = compileFilter<(typeof members)[number]>(
        ctx.op,
        ctx.query.get("filter"),
        (m, field) => {
          if (field === "joined_group_at") return m.joined;
          const profile = state.profiles.get(m.profileId);
          return field === "email" || field === "phone_number"
            ? (profile?.[field] ?? null)
            : undefined;
        },
        ["email", "phone_number", "joined_group_at"],
      );
      const sorted = sortBy(ctx, members.filter(filter), { joined_group_at: (m) => m.seq });
      const { page, links } = paginate(ctx, sorted);
      return ok(200, { data: page.map((m) => ({ type: "profile", id: m.profileId })), links });
    },

    add_profiles_to_list(ctx) {
      const list = requireList(ctx);
      const profileIds = memberIdsFrom(ctx);
      profileIds.forEach((id, index) => {
        if (!ctx.store.state.profiles.has(id)) {
          throw invalid(`A profile with id '${id}' does not exist.`, {
            pointer: `/data/${index}/id`,
          });
        }
      });
      profileIds.forEach((id) => ctx.store.addMember(list.id, id, iso(ctx.now)));
      return ok(204);
    },

    remove_profiles_from_list(ctx) {
      const list = requireList(ctx);
      const members = ctx.store.state.listMembers.get(list.id);
      memberIdsFrom(ctx).forEach((id) => members?.delete(id));
      return ok(204);
    },

    bulk_import_profiles(ctx) {
      if (ctx.bodyBytes > KLAVIYO_LIMITS.bulkImportBytes) {
        throw tooLarge(KLAVIYO_LIMITS.bulkImportBytes, ctx.bodyBytes);
      }
      const data = (ctx.body as { data: Json }).data;
      const profiles = (data.attributes as { profiles: { data: Json[] } }).profiles.data;
      if (profiles.length > KLAVIYO_LIMITS.bulkImportProfiles) {
        throw invalid(
          `A maximum of ${KLAVIYO_LIMITS.bulkImportProfiles} profiles can be imported per job; got ${profiles.length}.`,
          { pointer: "/data/attributes/profiles/data" },
        );
      }
      if (profiles.length === 0) {
        throw invalid("At least one profile is required.", {
          pointer: "/data/attributes/profiles/data",
        });
      }
      const state = ctx.store.state;
      const relationships = isRecord(data.relationships) ? data.relationships : {};
      const listRefs =
        isRecord(relationships.lists) && Array.isArray(relationships.lists.data)
          ? (relationships.lists.data as Array<{ id: string }>)
          : [];
      listRefs.forEach((ref, index) => {
        if (!state.lists.has(ref.id)) {
          throw invalid(`A list with id '${ref.id}' does not exist.`, {
            pointer: `/data/relationships/lists/data/${index}/id`,
          });
        }
      });
      const job: KlaviyoBulkImportJob = {
        id: ids.ulid((candidate) => state.bulkImportJobs.has(candidate)),
        status: "queued",
        created_at: iso(ctx.now),
        started_at: null,
        completed_at: null,
        expires_at: iso(ctx.now + 7 * 86_400_000),
        total_count: profiles.length,
        completed_count: 0,
        failed_count: 0,
        listIds: listRefs.map((ref) => ref.id),
        profileIds: [],
        errors: [],
      };
      // Per-profile limit: an oversized profile fails on its own, the job still runs.
      const failed = new Set<number>();
      profiles.forEach((profile, index) => {
        const bytes = Buffer.byteLength(JSON.stringify(profile));
        if (bytes > KLAVIYO_LIMITS.bulkImportProfileBytes) {
          failed.add(index);
          job.failed_count += 1;
          job.errors.push({
            id: ids.uuid(),
            code: "invalid",
            title: "Invalid input.",
            detail: `Profile is ${bytes} bytes; the limit is ${KLAVIYO_LIMITS.bulkImportProfileBytes} bytes.`,
            source: { pointer: `/data/attributes/profiles/data/${index}` },
            original_payload: null,
          });
        }
      });
      state.bulkImportJobs.set(job.id, job);
      pendingJobs.set(job.id, { store: ctx.store, profiles, failed });
      later(Math.floor(importJobDelayMs / 2), () => startJob(job));
      later(importJobDelayMs, () => finishJob(job.id));
      return ok(202, {
        data: jobResource(ctx, job),
        links: { self: `${ctx.origin}/api/profile-bulk-import-jobs/` },
      });
    },

    get_bulk_import_profiles_job(ctx) {
      const job = ctx.store.state.bulkImportJobs.get(ctx.params.job_id ?? "");
      if (!job) throw notFound(`A bulk import job with id '${ctx.params.job_id}' does not exist.`);
      const body: Json = {
        data: jobResource(ctx, job),
        links: { self: `${ctx.origin}${ctx.requestUrl}` },
      };
      if ((ctx.query.get("include") ?? "").split(",").includes("lists")) {
        body.included = job.listIds
          .map((id) => ctx.store.state.lists.get(id))
          .filter((list): list is KlaviyoList => Boolean(list))
          .map((list) => listResource(ctx, list));
      }
      return ok(200, body);
    },

    // Klaviyo deletes asynchronously; the fake deletes at once (tests see the outcome directly).
    request_profile_deletion(ctx) {
      const profile = (
        ctx.body as {
          data: { attributes: { profile: { data: { id?: string | null; attributes: Json } } } };
        }
      ).data.attributes.profile.data;
      const identifier: KlaviyoDeletionRequest["identifier"] = {};
      if (typeof profile.id === "string" && profile.id) identifier.id = profile.id;
      for (const field of ["email", "phone_number"] as const) {
        const value = profile.attributes[field];
        if (typeof value === "string" && value) identifier[field] = value;
      }
      const given = Object.keys(identifier);
      if (given.length !== 1) {
        throw invalid(
          given.length === 0
            ? "A profile identifier is required: one of email, phone_number or id."
            : `Only one profile identifier may be provided; got ${given.join(", ")}.`,
          { pointer: "/data/attributes/profile/data" },
        );
      }
      const store = ctx.store;
      const matches = identifier.id
        ? [store.state.profiles.get(identifier.id)].filter((p): p is KlaviyoProfile => Boolean(p))
        : identifier.email
          ? [store.lookup("email", identifier.email)].filter((p): p is KlaviyoProfile => Boolean(p))
          : [...store.state.profiles.values()].filter(
              (p) => p.phone_number === identifier.phone_number,
            );
      matches.forEach((p) => store.deleteProfile(p));
      store.state.deletionRequests.push({
        identifier,
        requested: iso(ctx.now),
        deletedProfileIds: matches.map((p) => p.id),
      });
      return ok(202);
    },

    get_errors_for_bulk_import_profiles_job(ctx) {
      const job = ctx.store.state.bulkImportJobs.get(ctx.params.id ?? "");
      if (!job) throw notFound(`A bulk import job with id '${ctx.params.id}' does not exist.`);
      const { page, links } = paginate(ctx, job.errors);
      return ok(200, {
        data: page.map((error) => ({
          type: "import-error",
          id: error.id,
          attributes: sparse(ctx, "import-error", {
            code: error.code,
            title: error.title,
            detail: error.detail,
            source: error.source,
            original_payload: error.original_payload,
          }),
        })),
        links,
      });
    },
  };

  // ---- request pipeline ----------------------------------------------------------------------

  const errorResponse = (error: ApiError, headers: Record<string, string> = {}): FakeResponse => ({
    status: error.errors[0]!.status,
    headers: { "content-type": JSON_API, ...headers },
    body: {
      errors: error.errors.map((e) => ({
        id: ids.uuid(),
        status: e.status,
        code: e.code,
        title: e.title,
        detail: e.detail,
        source: e.source ?? { pointer: "/data/" },
        links: {},
        meta: e.meta ?? {},
      })),
    },
  });

  const checkQuery = (op: KlaviyoOperationSpec, query: URLSearchParams): void => {
    for (const [name, value] of query) {
      const param = op.queryParams.get(name);
      if (!param) {
        throw invalid(
          `'${name}' is not a valid query parameter for ${op.method} ${op.pathTemplate}.`,
          {
            parameter: name,
          },
        );
      }
      const schema = param.schema;
      if (schema.type === "integer") {
        const number = Number(value);
        const min = typeof schema.minimum === "number" ? schema.minimum : -Infinity;
        const max = typeof schema.maximum === "number" ? schema.maximum : Infinity;
        if (!Number.isInteger(number) || number < min || number > max) {
          throw invalid(`'${name}' must be an integer between ${min} and ${max}; got '${value}'.`, {
            parameter: name,
          });
        }
      }
      const enumOf = (s: unknown): unknown[] | undefined =>
        isRecord(s) && Array.isArray(s.enum) ? s.enum : undefined;
      const single = enumOf(schema);
      if (single && !single.includes(value)) {
        throw invalid(
          `'${value}' is not a valid value for '${name}'. Valid values: ${single.join(", ")}.`,
          {
            parameter: name,
          },
        );
      }
      const items = schema.type === "array" ? enumOf(schema.items) : undefined;
      if (items) {
        const bad = value.split(",").filter((part) => !items.includes(part.trim()));
        if (bad.length > 0) {
          throw invalid(
            `'${bad.join(",")}' is not a valid value for '${name}'. Valid values: ${items.join(", ")}.`,
            {
              parameter: name,
            },
          );
        }
      }
    }
  };

  const REVISION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9_-]+)?$/;

  const handle = (request: FakeRequest): FakeResponse => {
    try {
      return dispatch(request);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      throw error;
    }
  };

  const dispatch = (request: FakeRequest): FakeResponse => {
    const match = request.path.startsWith("/api/") ? spec.matchPath(request.path) : undefined;
    if (!match) throw notFound(`No endpoint matches ${request.method} ${request.path}.`);
    const operationId = match.operations.get(request.method);
    if (!operationId) {
      throw new ApiError([
        {
          status: 405,
          code: "method_not_allowed",
          title: "Method not allowed.",
          detail: `Method "${request.method}" not allowed on ${match.template}.`,
        },
      ]);
    }
    const op = spec.operations.get(operationId)!;
    const handler = (handlers as Record<string, Handler | undefined>)[operationId];
    if (!handler) {
      throw new ApiError([
        {
          status: 501,
          code: "not_implemented",
          title: "Not implemented.",
          detail: `${operationId} (${request.method} ${match.template}) exists in Klaviyo's API but not in this fake.`,
        },
      ]);
    }

    const auth = /^Klaviyo-API-Key\s+(\S+)\s*$/.exec(String(request.headers.authorization ?? ""));
    const key = auth ? keys.get(auth[1]!) : undefined;
    if (!key) {
      throw new ApiError([
        {
          status: 401,
          code: "not_authenticated",
          title: "Authentication credentials were not provided.",
          detail: "Missing or invalid private key.",
        },
      ]);
    }

    const revisionHeader = request.headers.revision;
    const sent = Array.isArray(revisionHeader) ? revisionHeader[0] : revisionHeader;
    if (!sent) {
      throw invalid("The 'revision' header is required (format: YYYY-MM-DD[.suffix]).", {
        parameter: "revision",
      });
    }
    if (!REVISION_PATTERN.test(sent)) {
      throw invalid(`Invalid revision '${sent}': expected the format YYYY-MM-DD[.suffix].`, {
        parameter: "revision",
      });
    }
    if (sent !== revision) {
      throw invalid(
        `Revision '${sent}' is not available here: this Klaviyo fake serves only revision ${revision}.`,
        {
          parameter: "revision",
        },
      );
    }

    const missing =
      key.scopes === "all" ? [] : op.scopes.filter((s) => !(key.scopes as Set<string>).has(s));
    if (missing.length > 0) {
      throw new ApiError([
        {
          status: 403,
          code: "permission_denied",
          title: "You do not have permission to perform this action.",
          detail: `This API key is missing required scopes: ${missing.join(", ")}.`,
        },
      ]);
    }

    const now = clock();
    const store = stores.get(key.accountId)!;
    const rateHeaders: Record<string, string> = {};
    const budget = budgetFor(op);
    if (budget) {
      const decision = limiter.take(`${key.accountId}\u0000${op.operationId}`, budget, now);
      if (!decision.ok) {
        const waiting = decision.retryAfter;
        return errorResponse(
          new ApiError([
            {
              status: 429,
              code: "throttled",
              title: "Request was throttled.",
              detail: `Request was throttled (${decision.window} limit of ${decision.limit}). Expected available in ${waiting} second${waiting === 1 ? "" : "s"}.`,
            },
          ]),
          { "retry-after": String(waiting) },
        );
      }
      rateHeaders["ratelimit-limit"] = String(decision.limit);
      rateHeaders["ratelimit-remaining"] = String(decision.remaining);
      rateHeaders["ratelimit-reset"] = String(decision.reset);
    }

    try {
      checkQuery(op, request.query);
      let body: unknown;
      if (op.requestSchema) {
        const contentType = String(request.headers["content-type"] ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        if (contentType !== JSON_API && contentType !== "application/json") {
          throw new ApiError([
            {
              status: 415,
              code: "unsupported_media_type",
              title: `Unsupported media type "${contentType}" in request.`,
              detail: `Send the body as ${JSON_API}.`,
            },
          ]);
        }
        try {
          body = JSON.parse(request.rawBody);
        } catch (error) {
          throw new ApiError([
            {
              status: 400,
              code: "parse_error",
              title: "Malformed request.",
              detail: `JSON parse error - ${(error as Error).message}`,
            },
          ]);
        }
        const issues = spec.validateRequestBody(op.operationId, body);
        if (issues.length > 0) {
          throw new ApiError(
            issues.map((issue) => ({
              status: 400,
              code: "invalid",
              title: "Invalid input.",
              detail: issue.detail,
              source: { pointer: issue.pointer },
            })),
          );
        }
      }
      const host = String(request.headers.host ?? "127.0.0.1");
      const search = request.query.toString();
      const response = handler({
        op,
        params: match.params,
        query: request.query,
        body,
        store,
        origin: `http://${host}`,
        requestUrl: `${request.path}${search ? `?${search}` : ""}`,
        now,
        bodyBytes: Buffer.byteLength(request.rawBody),
      });
      return {
        ...response,
        headers: {
          ...(response.body !== undefined ? { "content-type": JSON_API } : {}),
          ...rateHeaders,
          ...response.headers,
        },
      };
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error, rateHeaders);
      throw error;
    }
  };

  const server = await startFake(handle, {
    ...options,
    redactHeaders: [...(options.redactHeaders ?? []), "authorization"],
  });

  const clearTimers = () => {
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
  };

  return {
    ...server,
    get state() {
      return stores.get(defaultAccountId)!.state;
    },
    accounts: accountViews,
    spec,
    specTimings: spec.timings,
    accountState(keyOrAccountId) {
      return storeFor(keyOrAccountId)?.state;
    },
    addApiKey,
    findProfile(query, keyOrAccountId) {
      const store = storeFor(keyOrAccountId);
      if (!store) return undefined;
      for (const field of ["email", "phone_number", "external_id"] as const) {
        const value = query[field];
        if (value !== undefined) return store.lookup(field, value);
      }
      return undefined;
    },
    listMemberIds(listId, keyOrAccountId) {
      const members = storeFor(keyOrAccountId)?.state.listMembers.get(listId);
      return members
        ? [...members.values()].sort((a, b) => a.seq - b.seq).map((m) => m.profileId)
        : [];
    },
    reset() {
      clearTimers();
      pendingJobs.clear();
      stores.forEach((store) => store.clear());
      limiter.clear();
      ids.reset();
      server.received.length = 0;
    },
    forgetRateLimits() {
      limiter.clear();
    },
    runPendingJobs() {
      [...pendingJobs.keys()].forEach((jobId) => finishJob(jobId));
    },
    snapshot() {
      return {
        accounts: [...stores.values()].map(({ state }) => ({
          account: { ...state.account },
          profiles: [...state.profiles.values()].map((p) => structuredClone(p)),
          events: state.events.map((e) => structuredClone(e)),
          duplicateEvents: state.duplicateEvents.map((e) => structuredClone(e)),
          metrics: [...state.metrics.values()].map((m) => ({ ...m })),
          lists: [...state.lists.values()].map((l) => ({
            ...l,
            profileIds: [...(state.listMembers.get(l.id)?.values() ?? [])].map((m) => m.profileId),
          })),
          bulkImportJobs: [...state.bulkImportJobs.values()].map((j) => structuredClone(j)),
        })),
      };
    },
    async close() {
      clearTimers();
      await server.close();
    },
  };
}
