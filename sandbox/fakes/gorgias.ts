/**
 * A loopback fake of Gorgias's REST API (`https://{domain}.gorgias.com/api`), shared by tests,
 * the demo sandbox and benchmarks. It speaks the same wire format as Gorgias for the parts
 * Switchboard uses: customers, tickets (messages, tags, status), tags, and HTTP integrations,
 * which are how Gorgias sends webhooks.
 *
 * Sources: ../shared/reference/platform-facts.md §7, and Gorgias's public reference pages
 * (errors, limitations, pagination, integrations, TicketHttpIntegration). Where those pages are
 * silent, the choice made here is written next to the code as "Unverified:".
 *
 * Differences from Gorgias that tests may notice:
 * - Only HTTP Basic auth (private-app API keys); no OAuth2 bearer tokens.
 * - Faults injected by common.ts (burst429, errorRate, timeouts) are answered before this file's
 *   logic runs, so they carry common.ts's body and headers, not Gorgias's.
 */
import {
  NO_FAULTS,
  startFake,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type StartFakeOptions,
} from "./common";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** One set of credentials the fake accepts. Each account is also a helpdesk user (an agent). */
export interface GorgiasAccount {
  email: string;
  apiKey: string;
  /** Display name of the agent behind the key. */
  name?: string;
}

/** Credentials accepted when `accounts` is not given. Not secret: this is a fake. */
export const GORGIAS_DEFAULT_ACCOUNT: Readonly<GorgiasAccount> = Object.freeze({
  email: "sandbox@switchboard.test",
  apiKey: "sandbox-gorgias-api-key",
  name: "Sandbox Agent",
});

export const GORGIAS_DEFAULT_DOMAIN = "sandbox";

/** Leaky bucket: `limit` requests drain completely in `windowSeconds` (40 per 20 s = 2/s). */
export interface GorgiasRateLimit {
  limit: number;
  windowSeconds: number;
}

export const GORGIAS_API_KEY_RATE_LIMIT: Readonly<GorgiasRateLimit> = Object.freeze({
  limit: 40,
  windowSeconds: 20,
});

export interface GorgiasFakeOptions extends StartFakeOptions {
  /** Credentials accepted; defaults to [GORGIAS_DEFAULT_ACCOUNT]. */
  accounts?: GorgiasAccount[];
  /** The `{domain}` in `{domain}.gorgias.com`; shown by GET /api/account and in templates. */
  domain?: string;
  /** Per-account leaky bucket (default 40 per 20 s); `false` turns rate limiting off. */
  rateLimit?: Partial<GorgiasRateLimit> | false;
  /** Milliseconds since the epoch, like Date.now (the default). Drives timestamps and the bucket. */
  clock?: () => number;
  /** How long an outgoing HTTP-integration call may take before it is recorded as failed. */
  integrationTimeoutMs?: number;
}

export type GorgiasTicketStatus = "open" | "closed";

export const GORGIAS_TRIGGERS = [
  "ticket-created",
  "ticket-updated",
  "ticket-message-created",
  "ticket-self-unsnoozed",
  "ticket-message-failed",
] as const;
export type GorgiasTrigger = (typeof GORGIAS_TRIGGERS)[number];

/** A person on a message: an agent (user) or a customer. */
export interface GorgiasParty {
  id: number;
  email: string | null;
  name: string | null;
  firstname: string | null;
  lastname: string | null;
}

export interface GorgiasUser extends GorgiasParty {
  active: boolean;
  role: { name: string };
  created_datetime: string;
}

export interface GorgiasCustomerChannel {
  id: number;
  type: string;
  address: string;
  preferred: boolean;
}

export interface GorgiasCustomer {
  id: number;
  uri: string;
  email: string | null;
  name: string | null;
  firstname: string | null;
  lastname: string | null;
  external_id: string | null;
  language: string | null;
  timezone: string | null;
  note: string | null;
  channels: GorgiasCustomerChannel[];
  data: unknown;
  meta: unknown;
  created_datetime: string;
  updated_datetime: string;
}

export interface GorgiasTag {
  id: number;
  uri: string;
  name: string;
  description: string | null;
  decoration: unknown;
  /** How many tickets carry the tag. */
  usage: number;
  created_datetime: string;
}

export interface GorgiasTicketTag {
  id: number;
  name: string;
  uri: string;
  decoration: unknown;
}

export interface GorgiasMessage {
  id: number;
  uri: string;
  ticket_id: number;
  channel: string;
  via: string;
  from_agent: boolean;
  /** false for internal notes. */
  public: boolean;
  sender: GorgiasParty;
  receiver: GorgiasParty | null;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  stripped_text: string | null;
  external_id: string | null;
  attachments: unknown[];
  source: unknown;
  meta: unknown;
  created_datetime: string;
  sent_datetime: string;
}

export interface GorgiasTicket {
  id: number;
  uri: string;
  external_id: string | null;
  status: GorgiasTicketStatus;
  channel: string;
  via: string;
  from_agent: boolean;
  spam: boolean;
  priority: string | null;
  language: string | null;
  subject: string | null;
  excerpt: string;
  customer: GorgiasParty;
  assignee_user: unknown;
  assignee_team: unknown;
  tags: GorgiasTicketTag[];
  custom_fields: unknown;
  meta: unknown;
  messages: GorgiasMessage[];
  messages_count: number;
  created_datetime: string;
  opened_datetime: string | null;
  updated_datetime: string;
  closed_datetime: string | null;
  snooze_datetime: string | null;
  trashed_datetime: string | null;
  last_message_datetime: string;
  last_received_message_datetime: string | null;
}

export interface GorgiasHttpConfig {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  form: unknown;
  request_content_type: string;
  response_content_type: string;
  /** Always the object map Gorgias documents, whichever shape was sent. */
  triggers: Record<GorgiasTrigger, boolean>;
}

export interface GorgiasIntegration {
  id: number;
  uri: string;
  type: "http";
  name: string;
  description: string | null;
  http: GorgiasHttpConfig;
  created_datetime: string;
  updated_datetime: string;
  deactivated_datetime: string | null;
}

/** One call the fake made (or refused to make) to an HTTP integration. */
export interface GorgiasOutgoingCall {
  id: number;
  at: string;
  integrationId: number;
  trigger: GorgiasTrigger;
  ticketId: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw text; undefined when there is no body. */
  body: unknown;
  outcome: "pending" | "delivered" | "failed" | "refused";
  /** The receiver's HTTP status; null until answered, or when the call failed or was refused. */
  status: number | null;
  responseBody?: string;
  error?: string;
  durationMs?: number;
}

export interface GorgiasState {
  domain: string;
  users: GorgiasUser[];
  customers: GorgiasCustomer[];
  tickets: GorgiasTicket[];
  tags: GorgiasTag[];
  integrations: GorgiasIntegration[];
  outgoing: GorgiasOutgoingCall[];
}

/** How a simulated shopper opens a ticket with `openTicket`. */
export interface OpenTicketInput {
  customer: { email: string; name?: string };
  subject?: string;
  /** Text of the shopper's first message. */
  body?: string;
  bodyHtml?: string;
  /** Default "email" (channel and via). */
  channel?: string;
  tags?: string[];
  externalId?: string;
}

/** A message written inside the helpdesk by a simulated shopper, agent, or agent's note. */
export interface AddMessageInput {
  from: "customer" | "agent" | "note";
  text: string;
  html?: string;
  /** Default: the ticket's channel ("internal-note" for notes). */
  channel?: string;
}

export interface CreateCustomerInput {
  email?: string;
  name?: string;
  firstname?: string;
  lastname?: string;
  external_id?: string;
  note?: string;
  data?: unknown;
}

/** Thrown by the helpers when the input would have been a 4xx over HTTP. */
export class GorgiasFakeError extends Error {
  constructor(
    readonly status: number,
    readonly body: GorgiasErrorBody,
  ) {
    super(
      `${status} ${body.error.msg}${body.error.data ? ` ${JSON.stringify(body.error.data)}` : ""}`,
    );
    this.name = "GorgiasFakeError";
  }
}

export interface GorgiasErrorBody {
  error: { msg: string; data?: FieldErrors };
}

export type FieldErrors = { [field: string]: string[] | FieldErrors };

export type GorgiasFake = FakeServer & {
  /** `${url}/api`: the base URL a client would build as https://{domain}.gorgias.com/api. */
  apiUrl: string;
  domain: string;
  /** The first accepted account (the default credentials unless `accounts` was given). */
  account: GorgiasAccount;
  state: GorgiasState;
  /** Empties every collection, the rate-limit buckets, `received`, and restores the faults. */
  reset(): void;
  /** `Basic base64(email:apiKey)` for an account (default: the first). */
  authorization(account?: GorgiasAccount): string;
  /** A shopper writes in: creates (or finds) the customer and an open ticket; fires ticket-created. */
  openTicket(input: OpenTicketInput): GorgiasTicket;
  /** An agent closes the ticket; fires ticket-updated if it was open. */
  closeTicket(ticketId: number): GorgiasTicket;
  /** An agent reopens the ticket; fires ticket-updated if it was closed. */
  reopenTicket(ticketId: number): GorgiasTicket;
  /** An agent edits the ticket; `patch` has the PUT /api/tickets/{id} body shape. */
  updateTicket(ticketId: number, patch: Record<string, unknown>): GorgiasTicket;
  /** A shopper reply, an agent reply or an internal note; fires ticket-message-created. */
  addMessage(ticketId: number, input: AddMessageInput): GorgiasMessage;
  /** Seeds a customer as if created in the helpdesk. */
  createCustomer(input: CreateCustomerInput): GorgiasCustomer;
  /** Resolves once every outgoing integration call queued so far has finished. */
  flushOutgoing(): Promise<void>;
};

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

function looksLikeEmail(value: unknown): value is string {
  return typeof value === "string" && /^[^\s@]+@[^\s@]+$/.test(value);
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function isDateString(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function splitName(name: string | null): { firstname: string | null; lastname: string | null } {
  if (!name) return { firstname: null, lastname: null };
  const [first, ...rest] = name.trim().split(/\s+/);
  return { firstname: first ?? null, lastname: rest.length ? rest.join(" ") : null };
}

export function gorgiasBasicAuth(email: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${email}:${apiKey}`, "utf8").toString("base64")}`;
}

function errorBody(msg: string, data?: FieldErrors): GorgiasErrorBody {
  return { error: data ? { msg, data } : { msg } };
}

type Result<T> = { ok: true; value: T } | { ok: false; status: number; body: GorgiasErrorBody };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (status: number, msg: string, data?: FieldErrors): Result<never> => ({
  ok: false,
  status,
  body: errorBody(msg, data),
});

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new GorgiasFakeError(result.status, result.body);
  return result.value;
}

/**
 * Collects field errors in the nested shape Gorgias (marshmallow) answers with:
 * `{"messages": {"0": {"channel": ["Missing data for required field."]}}}`.
 */
class Issues {
  readonly data: FieldErrors = {};

  add(path: Array<string | number>, message: string): void {
    if (path.length === 0) path = ["_schema"];
    let node: FieldErrors = this.data;
    path.forEach((segment, index) => {
      const key = String(segment);
      if (index === path.length - 1) {
        const existing = node[key];
        if (Array.isArray(existing)) existing.push(message);
        else if (existing) (existing as FieldErrors)._schema = [message];
        else node[key] = [message];
        return;
      }
      const next = node[key];
      if (!next || Array.isArray(next)) node[key] = {};
      node = node[key] as FieldErrors;
    });
  }

  get empty(): boolean {
    return Object.keys(this.data).length === 0;
  }
}

const MISSING = "Missing data for required field.";
const UNKNOWN_FIELD = "Unknown field.";

function rejectUnknown(
  body: Json,
  allowed: ReadonlySet<string>,
  path: Array<string | number>,
  issues: Issues,
) {
  for (const key of Object.keys(body))
    if (!allowed.has(key)) issues.add([...path, key], UNKNOWN_FIELD);
}

/** A set of field names from a whitespace-separated list. */
const fields = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

// Gorgias's errors page says 400 covers "unknown parameters were specified", so unknown body
// fields are rejected. Every field of the documented Ticket and Message objects is allowed
// (read-only ones are ignored), so a body built from a GET response is not rejected.
const TICKET_FIELDS = fields(`
  id uri external_id language status priority channel via from_agent customer
  assignee_user assignee_team subject excerpt integrations meta tags custom_fields
  messages messages_count spam is_unread created_datetime opened_datetime
  last_received_message_datetime last_message_datetime updated_datetime closed_datetime
  snooze_datetime trashed_datetime satisfaction_survey reply_options
`);
const MESSAGE_FIELDS = fields(`
  id uri message_id ticket_id external_id public channel via source sender receiver
  integration_id rule_id from_agent subject body_text body_html stripped_text
  stripped_html stripped_signature headers attachments actions macros intents meta
  created_datetime sent_datetime failed_datetime opened_datetime deleted_datetime
  last_sending_error is_retriable
`);
const CUSTOMER_FIELDS = fields(`
  id uri email name firstname lastname external_id language timezone note channels data
  meta created_datetime updated_datetime
`);
const INTEGRATION_FIELDS = fields(`
  id uri type name description http created_datetime updated_datetime deactivated_datetime
`);
const HTTP_FIELDS = fields(`
  id url method headers form request_content_type response_content_type triggers
`);

const STATUSES: readonly GorgiasTicketStatus[] = ["open", "closed"];
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const REQUEST_CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded"];
const MAX_EXTERNAL_ID = 255;
const MAX_MESSAGES = 500;

/**
 * Unverified: Gorgias types `channel` as "LegacyChannelSlug | string" (apps may add channels)
 * and does not publish the `via` enum. Rather than a list that could reject a real value, both
 * must be lowercase slugs ("email", "api", "internal-note", "contact_form"…). That still catches
 * "API" or "Email".
 */
const SLUG = /^[a-z0-9][a-z0-9_-]*$/;

function checkSlug(
  value: unknown,
  path: Array<string | number>,
  issues: Issues,
  required: boolean,
) {
  if (value === undefined) {
    if (required) issues.add(path, MISSING);
    return;
  }
  if (typeof value !== "string" || !SLUG.test(value)) issues.add(path, "Not a valid channel slug.");
}

function checkOptionalString(
  value: unknown,
  path: Array<string | number>,
  issues: Issues,
  max?: number,
) {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") issues.add(path, "Not a valid string.");
  else if (max !== undefined && value.length > max)
    issues.add(path, `Longer than maximum length ${max}.`);
}

function checkOptionalDate(value: unknown, path: Array<string | number>, issues: Issues) {
  if (value === undefined || value === null) return;
  if (!isDateString(value)) issues.add(path, "Not a valid datetime.");
}

// ---------------------------------------------------------------------------------------------
// Template rendering for HTTP integrations
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;

/**
 * Looks up `ticket.customer.email`, `ticket.messages[0].body_text`, `ticket.messages[-1].id`.
 * Unverified: Gorgias uses a Jinja-like engine with filters; filters after `|` are ignored here
 * (the path before the first `|` is used) and unknown paths render as "" like Jinja's undefined.
 */
function lookup(root: Json, expression: string): unknown {
  const path = expression.split("|")[0]!.trim();
  if (path === "context") return root;
  const tokens = path.match(/[^.[\]]+|\[-?\d+\]/g) ?? [];
  let current: unknown = root;
  for (const token of tokens) {
    if (current === null || current === undefined) return undefined;
    if (token.startsWith("[")) {
      if (!Array.isArray(current)) return undefined;
      const index = Number(token.slice(1, -1));
      current = current[index < 0 ? current.length + index : index];
    } else if (Array.isArray(current) && /^-?\d+$/.test(token)) {
      const index = Number(token);
      current = current[index < 0 ? current.length + index : index];
    } else if (isRecord(current)) {
      current = current[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * Text form of a value. Unverified: Gorgias renders templates as text; here `{{ticket.tags}}`
 * (a list of tag objects) renders as comma-separated names ("vip,refund"), other objects and
 * lists as JSON, null/undefined as "".
 */
function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.length === 0) return "";
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => isRecord(v) && typeof v.name === "string")
  ) {
    return value.map((v) => (v as Json).name as string).join(",");
  }
  return JSON.stringify(value);
}

export function renderGorgiasTemplate(template: string, context: Json): string {
  return template.replace(PLACEHOLDER, (_match, expression: string) =>
    toText(lookup(context, expression)),
  );
}

/** Renders every string (keys too) inside a JSON form; values stay strings, like Gorgias's text templates. */
function renderForm(form: unknown, context: Json): unknown {
  if (typeof form === "string") return renderGorgiasTemplate(form, context);
  if (Array.isArray(form)) return form.map((item) => renderForm(item, context));
  if (isRecord(form)) {
    return Object.fromEntries(
      Object.entries(form).map(([key, value]) => [
        renderGorgiasTemplate(key, context),
        renderForm(value, context),
      ]),
    );
  }
  return form;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// ---------------------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------------------

type SortKey<T> = (item: T) => string | number;

interface ListOptions<T> {
  orderings: Record<string, SortKey<T>>;
  defaultOrder: string;
}

interface CursorPayload {
  d: "next" | "prev";
  o: string;
  k: string | number;
  i: number;
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): CursorPayload | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      isRecord(value) &&
      (value.d === "next" || value.d === "prev") &&
      typeof value.o === "string" &&
      (typeof value.k === "string" || typeof value.k === "number") &&
      typeof value.i === "number"
    ) {
      return value as unknown as CursorPayload;
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

/**
 * Cursor pagination as Gorgias documents it: `limit` (1–100, default 30), an opaque `cursor`,
 * `order_by` ("field:asc|desc"), and `meta.prev_cursor`/`meta.next_cursor` (null at either end).
 * Cursors are keyset-based (sort value + id), so items created between pages don't shift them.
 */
function paginate<T extends { id: number }>(
  items: T[],
  query: URLSearchParams,
  options: ListOptions<T>,
): Result<{ data: T[]; meta: { prev_cursor: string | null; next_cursor: string | null } }> {
  const issues = new Issues();
  let limit = 30;
  const rawLimit = query.get("limit");
  if (rawLimit !== null) {
    const parsed = Number(rawLimit);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100) {
      issues.add(["limit"], "Must be greater than or equal to 1 and less than or equal to 100.");
    } else limit = parsed;
  }
  const orderBy = query.get("order_by") ?? options.defaultOrder;
  const [field, direction = "asc"] = orderBy.split(":");
  const key = options.orderings[field ?? ""];
  if (!key || (direction !== "asc" && direction !== "desc")) {
    const allowed = Object.keys(options.orderings).flatMap((f) => [`${f}:asc`, `${f}:desc`]);
    issues.add(["order_by"], `Must be one of: ${allowed.join(", ")}.`);
  }
  const rawCursor = query.get("cursor");
  const cursor = rawCursor ? decodeCursor(rawCursor) : undefined;
  if (rawCursor && (!cursor || cursor.o !== orderBy)) issues.add(["cursor"], "Invalid cursor.");
  if (!issues.empty || !key) return fail(400, "Invalid query parameters.", issues.data);

  const sign = direction === "desc" ? -1 : 1;
  const compare = (a: { k: string | number; i: number }, b: { k: string | number; i: number }) => {
    if (a.k !== b.k) return (a.k < b.k ? -1 : 1) * sign;
    return (a.i - b.i) * sign;
  };
  const keyed = items.map((item) => ({ item, k: key(item), i: item.id })).sort(compare);

  let page: typeof keyed;
  if (!cursor) page = keyed.slice(0, limit);
  else if (cursor.d === "next") page = keyed.filter((x) => compare(x, cursor) > 0).slice(0, limit);
  else {
    const before = keyed.filter((x) => compare(x, cursor) < 0);
    page = before.slice(Math.max(0, before.length - limit));
  }
  const first = page[0];
  const last = page[page.length - 1];
  const hasBefore = first ? keyed.some((x) => compare(x, first) < 0) : false;
  const hasAfter = last ? keyed.some((x) => compare(x, last) > 0) : false;
  return ok({
    data: page.map((x) => x.item),
    meta: {
      prev_cursor:
        first && hasBefore ? encodeCursor({ d: "prev", o: orderBy, k: first.k, i: first.i }) : null,
      next_cursor:
        last && hasAfter ? encodeCursor({ d: "next", o: orderBy, k: last.k, i: last.i }) : null,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

// Id ranges differ per resource so that code mixing up a ticket id and a customer id fails.
const ID_BASE = {
  user: 1,
  customer: 100_001,
  ticket: 500_001,
  message: 900_001,
  tag: 301,
  integration: 7_001,
  httpConfig: 8_001,
  channel: 40_001,
  outgoing: 1,
};

interface PartyRef {
  id?: number;
  email?: string;
  name?: string;
  firstname?: string;
  lastname?: string;
}

interface ValidMessage {
  channel: string;
  via: string;
  from_agent: boolean;
  sender: PartyRef;
  receiver?: PartyRef;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  external_id: string | null;
  attachments: unknown[];
  source: unknown;
  meta: unknown;
  created_datetime?: string;
  sent_datetime?: string;
}

interface TagRefInput {
  id?: number;
  name?: string;
}

export async function startGorgiasFake(options: GorgiasFakeOptions = {}): Promise<GorgiasFake> {
  const accounts = options.accounts?.length
    ? options.accounts.map((a) => ({ ...a }))
    : [{ ...GORGIAS_DEFAULT_ACCOUNT }];
  const domain = options.domain ?? GORGIAS_DEFAULT_DOMAIN;
  const clock = options.clock ?? Date.now;
  const rateLimit: GorgiasRateLimit | false =
    options.rateLimit === false ? false : { ...GORGIAS_API_KEY_RATE_LIMIT, ...options.rateLimit };
  const integrationTimeoutMs = options.integrationTimeoutMs ?? 5_000;
  const outgoingLimit = options.recordLimit ?? 10_000;
  const initialFaults = { ...NO_FAULTS, ...options.faults };

  const state: GorgiasState = {
    domain,
    users: [],
    customers: [],
    tickets: [],
    tags: [],
    integrations: [],
    outgoing: [],
  };
  const nextId = { ...ID_BASE };
  const buckets = new Map<string, { level: number; at: number }>();
  const deliveries = new Map<number, Promise<void>>();
  const inFlight = new Set<AbortController>();
  let closing = false;

  const now = () => new Date(clock()).toISOString();
  const take = (kind: keyof typeof ID_BASE) => nextId[kind]++;

  function seedUsers() {
    for (const account of accounts) {
      const name = account.name ?? "Sandbox Agent";
      state.users.push({
        id: take("user"),
        email: account.email,
        name,
        ...splitName(name),
        active: true,
        role: { name: "admin" },
        created_datetime: now(),
      });
    }
  }
  seedUsers();

  // ----- lookups -----

  const findTicket = (id: number) => state.tickets.find((t) => t.id === id);
  const findCustomer = (id: number) => state.customers.find((c) => c.id === id);
  const findUser = (id: number) => state.users.find((u) => u.id === id);
  const customerByEmail = (email: string) => {
    const wanted = normalizeEmail(email);
    return state.customers.find((c) => c.email !== null && normalizeEmail(c.email) === wanted);
  };
  const userByEmail = (email: string) => {
    const wanted = normalizeEmail(email);
    return state.users.find((u) => u.email !== null && normalizeEmail(u.email) === wanted);
  };
  const tagByName = (name: string) => state.tags.find((t) => t.name === name); // names are case-sensitive
  const tagById = (id: number) => state.tags.find((t) => t.id === id);

  const party = (p: GorgiasUser | GorgiasCustomer): GorgiasParty => ({
    id: p.id,
    email: p.email,
    name: p.name,
    firstname: p.firstname,
    lastname: p.lastname,
  });

  // ----- customers -----

  function insertCustomer(
    input: CreateCustomerInput & { language?: string; timezone?: string; meta?: unknown },
  ): GorgiasCustomer {
    const at = now();
    const name =
      input.name ?? ([input.firstname, input.lastname].filter(Boolean).join(" ") || null);
    const names = splitName(name);
    const customer: GorgiasCustomer = {
      id: take("customer"),
      uri: "",
      email: input.email ?? null,
      name,
      firstname: input.firstname ?? names.firstname,
      lastname: input.lastname ?? names.lastname,
      external_id: input.external_id ?? null,
      language: input.language ?? null,
      timezone: input.timezone ?? null,
      note: input.note ?? null,
      channels: input.email
        ? [{ id: take("channel"), type: "email", address: input.email, preferred: true }]
        : [],
      data: input.data ?? null,
      meta: input.meta ?? null,
      created_datetime: at,
      updated_datetime: at,
    };
    customer.uri = `/api/customers/${customer.id}/`;
    state.customers.push(customer);
    return customer;
  }

  function createCustomerFromBody(body: unknown): Result<GorgiasCustomer> {
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, CUSTOMER_FIELDS, [], issues);
    if (body.email !== undefined && body.email !== null && !looksLikeEmail(body.email))
      issues.add(["email"], "Not a valid email address.");
    for (const field of ["name", "firstname", "lastname", "language", "timezone", "note"])
      checkOptionalString(body[field], [field], issues);
    checkOptionalString(body.external_id, ["external_id"], issues, MAX_EXTERNAL_ID);
    if (body.channels !== undefined && !Array.isArray(body.channels))
      issues.add(["channels"], "Not a valid list.");
    const channelEmail = Array.isArray(body.channels)
      ? body.channels.find(
          (c): c is Json => isRecord(c) && c.type === "email" && looksLikeEmail(c.address),
        )?.address
      : undefined;
    const email =
      (typeof body.email === "string" ? body.email : undefined) ??
      (channelEmail as string | undefined);
    // Unverified: Gorgias doesn't say which fields are required; an empty customer is refused.
    if (!email && !body.name && !body.external_id && issues.empty)
      issues.add(["email"], "An email, name or external_id is required.");
    if (!issues.empty) return fail(400, "Invalid customer.", issues.data);
    // Documented: 409 when "attempting to create a customer with an email address already used".
    if (email && customerByEmail(email)) {
      return fail(409, "A customer with this email address already exists.", {
        email: ["Already used by another customer."],
      });
    }
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    return ok(
      insertCustomer({
        email,
        name: str(body.name),
        firstname: str(body.firstname),
        lastname: str(body.lastname),
        external_id: str(body.external_id),
        note: str(body.note),
        language: str(body.language),
        timezone: str(body.timezone),
        data: body.data,
        meta: body.meta,
      }),
    );
  }

  // ----- validation shared by tickets and messages -----

  /** `{id}` or `{email}` (plus optional names). `kind` decides which ids exist. */
  function checkRef(
    value: unknown,
    path: Array<string | number>,
    issues: Issues,
    kind: "customer" | "party",
  ): PartyRef | undefined {
    if (!isRecord(value)) {
      issues.add(path, "Invalid input type.");
      return undefined;
    }
    const ref: PartyRef = {};
    if (value.id !== undefined && value.id !== null) {
      if (!isPositiveInt(value.id)) issues.add([...path, "id"], "Not a valid integer.");
      else if (
        kind === "customer"
          ? !findCustomer(value.id)
          : !findCustomer(value.id) && !findUser(value.id)
      ) {
        issues.add(
          [...path, "id"],
          `No ${kind === "customer" ? "customer" : "user or customer"} with id ${value.id}.`,
        );
      } else ref.id = value.id;
    }
    if (value.email !== undefined && value.email !== null) {
      if (!looksLikeEmail(value.email))
        issues.add([...path, "email"], "Not a valid email address.");
      else ref.email = value.email;
    }
    if (
      (value.id === undefined || value.id === null) &&
      (value.email === undefined || value.email === null)
    ) {
      issues.add(path, "Either id or email is required.");
    }
    for (const field of ["name", "firstname", "lastname"] as const) {
      if (typeof value[field] === "string") ref[field] = value[field] as string;
    }
    return ref;
  }

  function checkMessage(
    value: unknown,
    path: Array<string | number>,
    issues: Issues,
  ): ValidMessage | undefined {
    if (!isRecord(value)) {
      issues.add(path, "Invalid input type.");
      return undefined;
    }
    const before = JSON.stringify(issues.data);
    rejectUnknown(value, MESSAGE_FIELDS, path, issues);
    checkSlug(value.channel, [...path, "channel"], issues, true);
    checkSlug(value.via, [...path, "via"], issues, true);
    if (value.from_agent === undefined) issues.add([...path, "from_agent"], MISSING);
    else if (typeof value.from_agent !== "boolean")
      issues.add([...path, "from_agent"], "Not a valid boolean.");
    let sender: PartyRef | undefined;
    if (value.sender === undefined || value.sender === null)
      issues.add([...path, "sender"], MISSING);
    else sender = checkRef(value.sender, [...path, "sender"], issues, "party");
    let receiver: PartyRef | undefined;
    if (value.receiver !== undefined && value.receiver !== null)
      receiver = checkRef(value.receiver, [...path, "receiver"], issues, "party");
    checkOptionalString(value.body_text, [...path, "body_text"], issues);
    checkOptionalString(value.body_html, [...path, "body_html"], issues);
    const hasText = typeof value.body_text === "string" && value.body_text.trim() !== "";
    const hasHtml = typeof value.body_html === "string" && value.body_html.trim() !== "";
    if (!hasText && !hasHtml)
      issues.add(
        [...path, "body_text"],
        "Missing data for required field: body_text or body_html.",
      );
    checkOptionalString(value.subject, [...path, "subject"], issues);
    checkOptionalString(value.external_id, [...path, "external_id"], issues, MAX_EXTERNAL_ID);
    checkOptionalDate(value.created_datetime, [...path, "created_datetime"], issues);
    checkOptionalDate(value.sent_datetime, [...path, "sent_datetime"], issues);
    if (
      value.attachments !== undefined &&
      value.attachments !== null &&
      !Array.isArray(value.attachments)
    ) {
      issues.add([...path, "attachments"], "Not a valid list.");
    }
    // Unverified: an internal note is an agent's note; one claiming to come from the customer is refused.
    if (value.channel === "internal-note" && value.from_agent === false) {
      issues.add(
        [...path, "from_agent"],
        "Internal notes must be written by an agent (from_agent: true).",
      );
    }
    if (JSON.stringify(issues.data) !== before || !sender) return undefined;
    return {
      channel: value.channel as string,
      via: value.via as string,
      from_agent: value.from_agent as boolean,
      sender,
      receiver,
      subject: (value.subject as string | null | undefined) ?? null,
      body_text: hasText ? (value.body_text as string) : null,
      body_html: hasHtml ? (value.body_html as string) : null,
      external_id: (value.external_id as string | null | undefined) ?? null,
      attachments: (value.attachments as unknown[] | null | undefined) ?? [],
      source: value.source ?? null,
      meta: value.meta ?? null,
      created_datetime: value.created_datetime as string | undefined,
      sent_datetime: value.sent_datetime as string | undefined,
    };
  }

  function checkTags(
    value: unknown,
    path: Array<string | number>,
    issues: Issues,
  ): TagRefInput[] | undefined {
    if (!Array.isArray(value)) {
      issues.add(path, "Not a valid list.");
      return undefined;
    }
    const refs: TagRefInput[] = [];
    value.forEach((tag, index) => {
      if (!isRecord(tag)) return issues.add([...path, index], "Invalid input type.");
      if (tag.id !== undefined && tag.id !== null) {
        if (!isPositiveInt(tag.id) || !tagById(tag.id))
          return issues.add([...path, index, "id"], "No tag with this id.");
        return refs.push({ id: tag.id });
      }
      if (typeof tag.name !== "string" || tag.name.trim() === "")
        return issues.add([...path, index, "name"], MISSING);
      if (tag.name.length > 256)
        return issues.add([...path, index, "name"], "Longer than maximum length 256.");
      refs.push({ name: tag.name.trim() });
    });
    return refs;
  }

  function checkTicketStatus(value: unknown, issues: Issues) {
    // Unverified: the status enum isn't published. Gorgias tickets are open or closed (a snoozed
    // ticket is a closed ticket with snooze_datetime set), so only those two are accepted.
    if (value !== undefined && !STATUSES.includes(value as GorgiasTicketStatus)) {
      issues.add(["status"], `Must be one of: ${STATUSES.join(", ")}.`);
    }
  }

  // ----- applying validated input -----

  /** Finds or creates the person behind a validated ref. */
  function resolveParty(
    ref: PartyRef,
    preferUser: boolean,
  ): { party: GorgiasParty; customer?: GorgiasCustomer } {
    if (ref.id !== undefined) {
      const customer = findCustomer(ref.id);
      if (customer) return { party: party(customer), customer };
      return { party: party(findUser(ref.id)!) };
    }
    const email = ref.email!;
    if (preferUser) {
      const user = userByEmail(email);
      if (user) return { party: party(user) };
    }
    // Unverified: an unknown email becomes a new customer, even on an agent message.
    const customer =
      customerByEmail(email) ??
      insertCustomer({ email, name: ref.name, firstname: ref.firstname, lastname: ref.lastname });
    return { party: party(customer), customer };
  }

  function resolveCustomer(ref: PartyRef): GorgiasCustomer {
    if (ref.id !== undefined) return findCustomer(ref.id)!;
    return (
      customerByEmail(ref.email!) ??
      insertCustomer({
        email: ref.email,
        name: ref.name,
        firstname: ref.firstname,
        lastname: ref.lastname,
      })
    );
  }

  function applyTags(refs: TagRefInput[]): GorgiasTicketTag[] {
    const result: GorgiasTicketTag[] = [];
    for (const ref of refs) {
      let tag = ref.id !== undefined ? tagById(ref.id) : tagByName(ref.name!);
      if (!tag) tag = insertTag(ref.name!);
      if (!result.some((t) => t.id === tag.id))
        result.push({ id: tag.id, name: tag.name, uri: tag.uri, decoration: tag.decoration });
    }
    return result;
  }

  function insertTag(
    name: string,
    description: string | null = null,
    decoration: unknown = null,
  ): GorgiasTag {
    const tag: GorgiasTag = {
      id: take("tag"),
      uri: "",
      name,
      description,
      decoration,
      usage: 0,
      created_datetime: now(),
    };
    tag.uri = `/api/tags/${tag.id}/`;
    state.tags.push(tag);
    return tag;
  }

  /** Replaces a ticket's tags and keeps every tag's `usage` count in step. */
  function setTicketTags(ticket: GorgiasTicket, next: GorgiasTicketTag[]) {
    const before = new Set(ticket.tags.map((t) => t.id));
    const after = new Set(next.map((t) => t.id));
    for (const id of before) if (!after.has(id)) tagById(id)!.usage -= 1;
    for (const id of after) if (!before.has(id)) tagById(id)!.usage += 1;
    ticket.tags = next;
  }

  function buildMessage(ticketId: number, input: ValidMessage): GorgiasMessage {
    const sender = resolveParty(input.sender, input.from_agent).party;
    const receiver = input.receiver ? resolveParty(input.receiver, !input.from_agent).party : null;
    const at = now();
    const id = take("message");
    return {
      id,
      uri: `/api/tickets/${ticketId}/messages/${id}/`,
      ticket_id: ticketId,
      channel: input.channel,
      via: input.via,
      from_agent: input.from_agent,
      public: input.channel !== "internal-note",
      sender,
      receiver,
      subject: input.subject,
      body_text: input.body_text,
      body_html: input.body_html,
      stripped_text:
        input.body_text ??
        (input.body_html ? input.body_html.replace(/<[^>]*>/g, "").trim() : null),
      external_id: input.external_id,
      attachments: input.attachments,
      source: input.source,
      meta: input.meta,
      created_datetime: input.created_datetime ?? at,
      sent_datetime: input.sent_datetime ?? input.created_datetime ?? at,
    };
  }

  function refreshTicketSummary(ticket: GorgiasTicket) {
    const last = ticket.messages[ticket.messages.length - 1];
    ticket.messages_count = ticket.messages.length;
    if (last) {
      ticket.last_message_datetime = last.created_datetime;
      ticket.excerpt = (last.stripped_text ?? "").slice(0, 100);
    }
    const received = ticket.messages.filter((m) => !m.from_agent && m.public);
    ticket.last_received_message_datetime = received[received.length - 1]?.created_datetime ?? null;
  }

  // ----- tickets -----

  function createTicket(body: unknown): Result<GorgiasTicket> {
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, TICKET_FIELDS, [], issues);

    const messages: ValidMessage[] = [];
    if (body.messages === undefined || body.messages === null) issues.add(["messages"], MISSING);
    else if (!Array.isArray(body.messages)) issues.add(["messages"], "Not a valid list.");
    else if (body.messages.length < 1 || body.messages.length > MAX_MESSAGES) {
      issues.add(["messages"], `Length must be between 1 and ${MAX_MESSAGES}.`);
    } else {
      body.messages.forEach((m, i) => {
        const message = checkMessage(m, ["messages", i], issues);
        if (message) messages.push(message);
      });
    }

    let customerRef: PartyRef | undefined;
    if (body.customer !== undefined && body.customer !== null)
      customerRef = checkRef(body.customer, ["customer"], issues, "customer");
    checkSlug(body.channel, ["channel"], issues, false);
    checkSlug(body.via, ["via"], issues, false);
    if (body.from_agent !== undefined && typeof body.from_agent !== "boolean")
      issues.add(["from_agent"], "Not a valid boolean.");
    checkOptionalString(body.subject, ["subject"], issues, 998);
    checkOptionalString(body.external_id, ["external_id"], issues, MAX_EXTERNAL_ID);
    checkOptionalString(body.language, ["language"], issues);
    checkOptionalString(body.priority, ["priority"], issues);
    checkTicketStatus(body.status, issues);
    if (body.spam !== undefined && typeof body.spam !== "boolean")
      issues.add(["spam"], "Not a valid boolean.");
    for (const field of [
      "created_datetime",
      "opened_datetime",
      "closed_datetime",
      "snooze_datetime",
    ])
      checkOptionalDate(body[field], [field], issues);
    let tagRefs: TagRefInput[] = [];
    if (body.tags !== undefined && body.tags !== null)
      tagRefs = checkTags(body.tags, ["tags"], issues) ?? [];

    // Unverified: without `customer`, Gorgias takes it from the first message: its sender when
    // the customer wrote it, its receiver when an agent did. A ticket always has a customer.
    const first = messages[0];
    if (issues.empty && !customerRef && first) {
      const candidate = first.from_agent ? first.receiver : first.sender;
      const isUser = candidate?.id !== undefined && !findCustomer(candidate.id);
      if (!candidate || isUser)
        issues.add(
          ["customer"],
          `${MISSING} (or a first message whose ${first.from_agent ? "receiver" : "sender"} is the customer)`,
        );
      else customerRef = candidate;
    }
    if (!issues.empty) return fail(400, "Failed to create the ticket: invalid data.", issues.data);

    const customer = resolveCustomer(customerRef!);
    const at = now();
    const id = take("ticket");
    const status = (body.status as GorgiasTicketStatus | undefined) ?? "open";
    const createdAt = (body.created_datetime as string | undefined) ?? at;
    const ticket: GorgiasTicket = {
      id,
      uri: `/api/tickets/${id}/`,
      external_id: (body.external_id as string | null | undefined) ?? null,
      status,
      channel: (body.channel as string | undefined) ?? first!.channel,
      via: (body.via as string | undefined) ?? first!.via,
      from_agent: (body.from_agent as boolean | undefined) ?? first!.from_agent,
      spam: (body.spam as boolean | undefined) ?? false,
      priority: (body.priority as string | null | undefined) ?? "normal",
      language: (body.language as string | null | undefined) ?? null,
      subject: (body.subject as string | null | undefined) ?? first!.subject ?? null,
      excerpt: "",
      customer: party(customer),
      assignee_user: body.assignee_user ?? null,
      assignee_team: body.assignee_team ?? null,
      tags: [],
      custom_fields: body.custom_fields ?? null,
      meta: body.meta ?? null,
      messages: [],
      messages_count: 0,
      created_datetime: createdAt,
      opened_datetime: (body.opened_datetime as string | undefined) ?? null,
      updated_datetime: at,
      closed_datetime:
        status === "closed" ? ((body.closed_datetime as string | undefined) ?? at) : null,
      snooze_datetime: (body.snooze_datetime as string | null | undefined) ?? null,
      trashed_datetime: null,
      last_message_datetime: at,
      last_received_message_datetime: null,
    };
    setTicketTags(ticket, applyTags(tagRefs));
    ticket.messages = messages.map((m) => buildMessage(id, m));
    refreshTicketSummary(ticket);
    state.tickets.push(ticket);
    emit("ticket-created", ticket);
    return ok(ticket);
  }

  // Fields PUT may change; the other known ticket fields are read-only and ignored.
  const UPDATABLE = [
    "status",
    "subject",
    "tags",
    "external_id",
    "meta",
    "spam",
    "priority",
    "language",
    "customer",
    "channel",
    "assignee_user",
    "assignee_team",
    "custom_fields",
    "snooze_datetime",
  ];

  function updateTicketFromBody(id: number, body: unknown): Result<GorgiasTicket> {
    const ticket = findTicket(id);
    if (!ticket) return fail(404, `Ticket ${id} not found.`);
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, TICKET_FIELDS, [], issues);
    checkTicketStatus(body.status, issues);
    checkOptionalString(body.subject, ["subject"], issues, 998);
    checkOptionalString(body.external_id, ["external_id"], issues, MAX_EXTERNAL_ID);
    checkOptionalString(body.priority, ["priority"], issues);
    checkOptionalString(body.language, ["language"], issues);
    checkSlug(body.channel, ["channel"], issues, false);
    checkOptionalDate(body.snooze_datetime, ["snooze_datetime"], issues);
    if (body.spam !== undefined && typeof body.spam !== "boolean")
      issues.add(["spam"], "Not a valid boolean.");
    let tagRefs: TagRefInput[] | undefined;
    if (body.tags !== undefined)
      tagRefs = body.tags === null ? [] : checkTags(body.tags, ["tags"], issues);
    let customerRef: PartyRef | undefined;
    if (body.customer !== undefined && body.customer !== null)
      customerRef = checkRef(body.customer, ["customer"], issues, "customer");
    if (!issues.empty) return fail(400, "Failed to update the ticket: invalid data.", issues.data);

    const before = JSON.stringify(ticket);
    for (const field of UPDATABLE) {
      if (body[field] === undefined || field === "tags" || field === "customer") continue;
      (ticket as unknown as Json)[field] = body[field];
    }
    if (tagRefs) setTicketTags(ticket, applyTags(tagRefs));
    if (customerRef) ticket.customer = party(resolveCustomer(customerRef));
    if (body.status === "closed" && !ticket.closed_datetime) ticket.closed_datetime = now();
    if (body.status === "open") ticket.closed_datetime = null;
    // Unverified: ticket-updated fires only when something actually changed.
    if (JSON.stringify(ticket) === before) return ok(ticket);
    ticket.updated_datetime = now();
    emit("ticket-updated", ticket);
    return ok(ticket);
  }

  function addMessageFromBody(ticketId: number, body: unknown): Result<GorgiasMessage> {
    const ticket = findTicket(ticketId);
    if (!ticket) return fail(404, `Ticket ${ticketId} not found.`);
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    const input = checkMessage(body, [], issues);
    if (!input || !issues.empty)
      return fail(400, "Failed to create the message: invalid data.", issues.data);
    const message = buildMessage(ticket.id, input);
    ticket.messages.push(message);
    refreshTicketSummary(ticket);
    ticket.updated_datetime = now();
    emit("ticket-message-created", ticket, message);
    // Unverified: as in the helpdesk, a customer's reply reopens a closed ticket.
    if (!message.from_agent && message.public && ticket.status === "closed") {
      ticket.status = "open";
      ticket.closed_datetime = null;
      ticket.snooze_datetime = null;
      emit("ticket-updated", ticket);
    }
    return ok(message);
  }

  function parseTagNamesAndIds(body: unknown): Result<TagRefInput[]> {
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, new Set(["names", "ids"]), [], issues);
    const refs: TagRefInput[] = [];
    if (body.names !== undefined) {
      if (!Array.isArray(body.names)) issues.add(["names"], "Not a valid list.");
      else
        body.names.forEach((name, i) => {
          if (typeof name !== "string" || name.trim() === "")
            issues.add(["names", i], "Not a valid string.");
          else refs.push({ name: name.trim() });
        });
    }
    if (body.ids !== undefined) {
      if (!Array.isArray(body.ids)) issues.add(["ids"], "Not a valid list.");
      else
        body.ids.forEach((tagId, i) => {
          if (!isPositiveInt(tagId) || !tagById(tagId))
            issues.add(["ids", i], "No tag with this id.");
          else refs.push({ id: tagId });
        });
    }
    if (issues.empty && refs.length === 0)
      issues.add(["names"], "Either names or ids is required.");
    return issues.empty ? ok(refs) : fail(400, "Invalid tags.", issues.data);
  }

  /** POST adds, PUT replaces, DELETE removes the ticket's tags. */
  function changeTicketTags(
    ticketId: number,
    body: unknown,
    mode: "add" | "set" | "remove",
  ): Result<GorgiasTicket> {
    const ticket = findTicket(ticketId);
    if (!ticket) return fail(404, `Ticket ${ticketId} not found.`);
    const refs = parseTagNamesAndIds(body);
    if (!refs.ok) return refs;
    let next: GorgiasTicketTag[];
    if (mode === "remove") {
      const removeIds = new Set(
        refs.value
          .map((r) => (r.id !== undefined ? r.id : tagByName(r.name!)?.id))
          .filter((x) => x !== undefined),
      );
      next = ticket.tags.filter((t) => !removeIds.has(t.id));
    } else {
      const wanted = applyTags(refs.value);
      next =
        mode === "set"
          ? wanted
          : [...ticket.tags, ...wanted.filter((w) => !ticket.tags.some((t) => t.id === w.id))];
    }
    if (JSON.stringify(next) !== JSON.stringify(ticket.tags)) {
      setTicketTags(ticket, next);
      ticket.updated_datetime = now();
      emit("ticket-updated", ticket);
    }
    return ok(ticket);
  }

  // ----- HTTP integrations -----

  function normalizeTriggers(
    value: unknown,
    issues: Issues,
  ): Record<GorgiasTrigger, boolean> | undefined {
    const triggers = Object.fromEntries(GORGIAS_TRIGGERS.map((t) => [t, false])) as Record<
      GorgiasTrigger,
      boolean
    >;
    // Gorgias documents an object map ({"ticket-created": true}); a list of names is accepted
    // too, and older docs' underscore spelling ("ticket_created") is read as the hyphenated one.
    const entries: Array<[string, unknown]> = Array.isArray(value)
      ? value.map((name) => [String(name), true])
      : isRecord(value)
        ? Object.entries(value)
        : [];
    if (!Array.isArray(value) && !isRecord(value)) {
      issues.add(
        ["http", "triggers"],
        value === undefined ? MISSING : "Must be an object of trigger names to booleans.",
      );
      return undefined;
    }
    for (const [rawName, enabled] of entries) {
      const name = rawName.replace(/_/g, "-") as GorgiasTrigger;
      if (!GORGIAS_TRIGGERS.includes(name))
        issues.add(
          ["http", "triggers", rawName],
          `Unknown trigger. Must be one of: ${GORGIAS_TRIGGERS.join(", ")}.`,
        );
      else if (typeof enabled !== "boolean")
        issues.add(["http", "triggers", rawName], "Not a valid boolean.");
      else triggers[name] = enabled;
    }
    return triggers;
  }

  function checkHttpConfig(
    http: unknown,
    issues: Issues,
    existing?: GorgiasHttpConfig,
  ): GorgiasHttpConfig | undefined {
    if (!isRecord(http)) {
      issues.add(["http"], http === undefined ? MISSING : "Invalid input type.");
      return undefined;
    }
    rejectUnknown(http, HTTP_FIELDS, ["http"], issues);
    const merged: Json = { ...existing, ...http };
    const url = merged.url;
    if (url === undefined) issues.add(["http", "url"], MISSING);
    else if (typeof url !== "string") issues.add(["http", "url"], "Not a valid URL.");
    else {
      // Templates may appear in the URL; check it with the placeholders filled in.
      try {
        const parsed = new URL(url.replace(PLACEHOLDER, "x"));
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
          issues.add(["http", "url"], "Not a valid URL.");
      } catch {
        issues.add(["http", "url"], "Not a valid URL.");
      }
    }
    const method = typeof merged.method === "string" ? merged.method.toUpperCase() : merged.method;
    if (method === undefined) issues.add(["http", "method"], MISSING);
    else if (typeof method !== "string" || !HTTP_METHODS.includes(method))
      issues.add(["http", "method"], `Must be one of: ${HTTP_METHODS.join(", ")}.`);
    const headers = merged.headers ?? {};
    if (!isRecord(headers) || Object.values(headers).some((v) => typeof v !== "string")) {
      issues.add(["http", "headers"], "Must be an object of header names to strings.");
    }
    const form = merged.form ?? null;
    if (form !== null && typeof form !== "string" && !isRecord(form) && !Array.isArray(form)) {
      issues.add(["http", "form"], "Must be an object or a template string.");
    }
    const requestType = merged.request_content_type ?? "application/json";
    if (typeof requestType !== "string" || !REQUEST_CONTENT_TYPES.includes(requestType)) {
      issues.add(
        ["http", "request_content_type"],
        `Must be one of: ${REQUEST_CONTENT_TYPES.join(", ")}.`,
      );
    }
    const responseType = merged.response_content_type ?? "application/json";
    if (typeof responseType !== "string")
      issues.add(["http", "response_content_type"], "Not a valid string.");
    const triggers =
      http.triggers === undefined && existing
        ? existing.triggers
        : normalizeTriggers(http.triggers, issues);
    if (!issues.empty || !triggers) return undefined;
    return {
      id: existing?.id ?? take("httpConfig"),
      url: url as string,
      method: method as string,
      headers: { ...(headers as Record<string, string>) },
      form,
      request_content_type: requestType as string,
      response_content_type: responseType as string,
      triggers,
    };
  }

  function createIntegration(body: unknown): Result<GorgiasIntegration> {
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, INTEGRATION_FIELDS, [], issues);
    if (body.name === undefined) issues.add(["name"], MISSING);
    else if (typeof body.name !== "string" || body.name.trim() === "")
      issues.add(["name"], "Not a valid string.");
    checkOptionalString(body.description, ["description"], issues);
    // Only HTTP integrations can be created through this fake (the only kind Switchboard makes).
    if (body.type === undefined) issues.add(["type"], MISSING);
    else if (body.type !== "http") issues.add(["type"], "Must be one of: http.");
    const http = checkHttpConfig(body.http, issues);
    if (!issues.empty || !http)
      return fail(400, "Failed to create the integration: invalid data.", issues.data);
    const at = now();
    const id = take("integration");
    const integration: GorgiasIntegration = {
      id,
      uri: `/api/integrations/${id}/`,
      type: "http",
      name: body.name as string,
      description: (body.description as string | null | undefined) ?? null,
      http,
      created_datetime: at,
      updated_datetime: at,
      deactivated_datetime: null,
    };
    state.integrations.push(integration);
    return ok(integration);
  }

  function updateIntegration(id: number, body: unknown): Result<GorgiasIntegration> {
    const integration = state.integrations.find((i) => i.id === id);
    if (!integration) return fail(404, `Integration ${id} not found.`);
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, INTEGRATION_FIELDS, [], issues);
    if (body.name !== undefined && (typeof body.name !== "string" || body.name.trim() === ""))
      issues.add(["name"], "Not a valid string.");
    checkOptionalString(body.description, ["description"], issues);
    checkOptionalDate(body.deactivated_datetime, ["deactivated_datetime"], issues);
    const http =
      body.http === undefined
        ? integration.http
        : checkHttpConfig(body.http, issues, integration.http);
    if (!issues.empty || !http)
      return fail(400, "Failed to update the integration: invalid data.", issues.data);
    if (typeof body.name === "string") integration.name = body.name;
    if (body.description !== undefined) integration.description = body.description as string | null;
    if (body.deactivated_datetime !== undefined)
      integration.deactivated_datetime = body.deactivated_datetime as string | null;
    integration.http = http;
    integration.updated_datetime = now();
    return ok(integration);
  }

  /** Queues the call of every active integration subscribed to `trigger`, with a snapshot of the ticket. */
  function emit(trigger: GorgiasTrigger, ticket: GorgiasTicket, message?: GorgiasMessage) {
    const subscribers = state.integrations.filter(
      (i) => i.http.triggers[trigger] && !i.deactivated_datetime,
    );
    if (subscribers.length === 0) return;
    const snapshot = clone(ticket);
    const ticketContext: Json = {
      ...snapshot,
      customer_id: snapshot.customer.id,
      assignee_user_id: isRecord(snapshot.assignee_user)
        ? (snapshot.assignee_user.id ?? null)
        : null,
      assignee_team_id: isRecord(snapshot.assignee_team)
        ? (snapshot.assignee_team.id ?? null)
        : null,
      first_message: snapshot.messages[0] ?? null,
      last_message: snapshot.messages[snapshot.messages.length - 1] ?? null,
      account: { domain },
    };
    const context: Json = {
      ticket: ticketContext,
      message: message ? clone(message) : null,
      event: { type: trigger },
      account: { domain },
    };
    for (const integration of subscribers) {
      const call = prepareCall(integration, trigger, snapshot.id, context);
      state.outgoing.push(call.record);
      if (state.outgoing.length > outgoingLimit) state.outgoing.shift();
      if (!call.send) continue;
      const previous = deliveries.get(integration.id) ?? Promise.resolve();
      // One call at a time per integration, so a receiver sees created before updated.
      deliveries.set(integration.id, previous.then(call.send));
    }
  }

  function prepareCall(
    integration: GorgiasIntegration,
    trigger: GorgiasTrigger,
    ticketId: number,
    context: Json,
  ) {
    const { http } = integration;
    const method = http.method.toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(http.headers))
      headers[name] = renderGorgiasTemplate(value, context);
    const renderedUrl = renderGorgiasTemplate(http.url, context);
    let target: URL | undefined;
    let refusal: string | undefined;
    try {
      target = new URL(renderedUrl);
      if (!isLoopbackHost(target.hostname)) {
        refusal = `Refused to call ${target.host}: the fake only calls loopback addresses.`;
      }
    } catch {
      refusal = `Not a valid URL after rendering: ${renderedUrl}`;
    }
    const rendered =
      http.form === null || http.form === undefined ? undefined : renderForm(http.form, context);
    let payload: string | undefined;
    if (rendered !== undefined) {
      if (method === "GET" || method === "DELETE") {
        // Unverified: for GET (as in Gorgias's own example) the form goes into the query string.
        if (isRecord(rendered) && target) {
          for (const [key, value] of Object.entries(rendered))
            target.searchParams.append(key, toText(value));
        }
      } else if (http.request_content_type === "application/x-www-form-urlencoded") {
        payload = isRecord(rendered)
          ? new URLSearchParams(Object.entries(rendered).map(([k, v]) => [k, toText(v)])).toString()
          : toText(rendered);
      } else {
        payload = typeof rendered === "string" ? rendered : JSON.stringify(rendered);
      }
    }
    if (
      payload !== undefined &&
      !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")
    ) {
      headers["content-type"] = http.request_content_type;
    }
    let body: unknown = payload;
    if (payload !== undefined && http.request_content_type === "application/json") {
      try {
        body = JSON.parse(payload);
      } catch {
        /* a string template that isn't JSON: keep the text */
      }
    }
    const record: GorgiasOutgoingCall = {
      id: take("outgoing"),
      at: now(),
      integrationId: integration.id,
      trigger,
      ticketId,
      method,
      url: target ? target.toString() : renderedUrl,
      headers,
      body,
      outcome: refusal ? "refused" : "pending",
      status: null,
      ...(refusal ? { error: refusal } : {}),
    };
    if (refusal || !target) return { record, send: undefined };
    const url = target.toString();

    const send = async () => {
      if (closing) {
        record.outcome = "failed";
        record.error = "fake closed before the call was made";
        return;
      }
      const controller = new AbortController();
      inFlight.add(controller);
      const timer = setTimeout(
        () => controller.abort(new Error(`timed out after ${integrationTimeoutMs} ms`)),
        integrationTimeoutMs,
      );
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method,
          headers,
          body: payload,
          signal: controller.signal,
          redirect: "manual",
        });
        record.status = response.status;
        record.responseBody = (await response.text()).slice(0, 2_000);
        record.outcome = "delivered";
      } catch (error) {
        record.outcome = "failed";
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        record.error = reason instanceof Error ? reason.message : String(reason);
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
        record.durationMs = Math.round(performance.now() - started);
      }
    };
    return { record, send };
  }

  async function flushOutgoing(): Promise<void> {
    // Deliveries can be queued while we wait; loop until the set stops changing.
    for (;;) {
      const pending = [...deliveries.values()];
      await Promise.all(pending);
      if (
        [...deliveries.values()].every((p, i) => p === pending[i]) &&
        deliveries.size === pending.length
      )
        return;
    }
  }

  // ----- rate limiting -----

  /** Leaky bucket per account: each request adds 1, the bucket drains `limit` per window. */
  function takeToken(email: string): { allowed: boolean; used: number; retryAfter: number } {
    if (!rateLimit) return { allowed: true, used: 0, retryAfter: 0 };
    const perMs = rateLimit.limit / (rateLimit.windowSeconds * 1000);
    const t = clock();
    const bucket = buckets.get(email) ?? { level: 0, at: t };
    bucket.level = Math.max(0, bucket.level - (t - bucket.at) * perMs);
    bucket.at = t;
    buckets.set(email, bucket);
    const used = () => Math.min(rateLimit.limit, Math.ceil(bucket.level - 1e-9));
    if (bucket.level + 1 > rateLimit.limit + 1e-9) {
      const waitMs = (bucket.level + 1 - rateLimit.limit) / perMs;
      return { allowed: false, used: used(), retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    bucket.level += 1;
    return { allowed: true, used: used(), retryAfter: 0 };
  }

  // ----- auth -----

  function authenticate(header: string | undefined): GorgiasAccount | undefined {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const email = decoded.slice(0, colon);
    const apiKey = decoded.slice(colon + 1);
    // Unverified: the email part is compared case-insensitively, the key exactly.
    return accounts.find(
      (a) => normalizeEmail(a.email) === normalizeEmail(email) && a.apiKey === apiKey,
    );
  }

  // ----- HTTP routing -----

  const respond = <T>(
    result: Result<T>,
    status: number,
    shape: (value: T) => unknown = (v) => v,
  ): FakeResponse =>
    result.ok
      ? { status, body: shape(result.value) }
      : { status: result.status, body: result.body };

  const listResponse = <T>(
    path: string,
    query: URLSearchParams,
    result: Result<{ data: T[]; meta: unknown }>,
    shape: (item: T) => unknown = (v) => v,
  ): FakeResponse =>
    respond(result, 200, (page) => ({
      object: "list",
      uri: query.size ? `${path}?${query.toString()}` : path,
      data: page.data.map(shape),
      meta: page.meta,
    }));

  const byCreated = { created_datetime: (x: { created_datetime: string }) => x.created_datetime };

  /** Unverified: list tickets returns ticket summaries, without `messages` (GET one for those). */
  const ticketSummary = (ticket: GorgiasTicket) => {
    const { messages: _messages, ...rest } = ticket;
    return rest;
  };

  function parseBody(
    request: FakeRequest,
  ): { ok: true; value: unknown } | { ok: false; response: FakeResponse } {
    if (request.rawBody.trim() === "") return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(request.rawBody) };
    } catch {
      return {
        ok: false,
        response: { status: 400, body: errorBody("Request body is not valid JSON.") },
      };
    }
  }

  function route(request: FakeRequest, account: GorgiasAccount): FakeResponse {
    const path = request.path.replace(/\/+$/, "") || "/";
    const segments = path.split("/").filter(Boolean).slice(1); // drop "api"
    const [resource, rawId, sub] = segments;
    const id = rawId === undefined ? undefined : Number(rawId);
    if (rawId !== undefined && (!Number.isInteger(id) || id! < 1)) return notFound();
    if (
      segments.length > 3 ||
      (sub !== undefined && !(resource === "tickets" && (sub === "messages" || sub === "tags")))
    )
      return notFound();
    const method = request.method.toUpperCase();
    const query = request.query;
    const parsed = ["POST", "PUT", "DELETE"].includes(method)
      ? parseBody(request)
      : { ok: true as const, value: undefined };
    if (!parsed.ok) return parsed.response;
    const body = parsed.value;
    const listPath = `/api/${segments.join("/")}`;

    switch (resource) {
      case "account":
        if (rawId !== undefined) return notFound();
        if (method !== "GET") return notAllowed();
        return {
          status: 200,
          body: {
            domain,
            status: { status: "active" },
            created_datetime: state.users[0]?.created_datetime,
            current_user: party(userByEmail(account.email)!),
          },
        };

      case "customers": {
        if (id === undefined) {
          if (method === "POST") return respond(createCustomerFromBody(body), 201);
          if (method !== "GET") return notAllowed();
          const email = query.get("email");
          const externalId = query.get("external_id");
          // Unverified: the email filter is an exact, case-insensitive match.
          const matches = state.customers.filter(
            (c) =>
              (email === null ||
                (c.email !== null && normalizeEmail(c.email) === normalizeEmail(email))) &&
              (externalId === null || c.external_id === externalId),
          );
          return listResponse(
            listPath,
            query,
            paginate(matches, query, {
              orderings: { ...byCreated, updated_datetime: (c) => c.updated_datetime },
              defaultOrder: "created_datetime:desc",
            }),
          );
        }
        const customer = findCustomer(id);
        if (!customer) return notFound(`Customer ${id} not found.`);
        if (method === "DELETE") {
          // Reference "Delete a customer": 204, no body. Unverified: what becomes of their
          // tickets; the fake keeps them (a caller erasing a person deletes them first).
          state.customers.splice(state.customers.indexOf(customer), 1);
          return { status: 204 };
        }
        if (method !== "GET") return notAllowed();
        return { status: 200, body: customer };
      }

      case "tickets": {
        if (id === undefined) {
          if (method === "POST") return respond(createTicket(body), 201);
          if (method !== "GET") return notAllowed();
          return listTickets(listPath, query);
        }
        const ticket = findTicket(id);
        if (!ticket) return notFound(`Ticket ${id} not found.`);
        if (sub === "messages") {
          if (method === "POST") return respond(addMessageFromBody(id, body), 201);
          if (method !== "GET") return notAllowed();
          return listResponse(
            listPath,
            query,
            paginate(ticket.messages, query, {
              orderings: byCreated,
              defaultOrder: "created_datetime:asc",
            }),
          );
        }
        if (sub === "tags") {
          // Unverified: Gorgias doesn't document these bodies' answers; POST → 201 and PUT → 200
          // with the ticket's tags, DELETE → 204.
          if (method === "GET")
            return {
              status: 200,
              body: {
                object: "list",
                uri: listPath,
                data: ticket.tags,
                meta: { prev_cursor: null, next_cursor: null },
              },
            };
          if (method === "POST")
            return respond(changeTicketTags(id, body, "add"), 201, (t) => ({ data: t.tags }));
          if (method === "PUT")
            return respond(changeTicketTags(id, body, "set"), 200, (t) => ({ data: t.tags }));
          if (method === "DELETE")
            return respond(changeTicketTags(id, body, "remove"), 204, () => undefined);
          return notAllowed();
        }
        if (method === "GET") return { status: 200, body: ticket };
        if (method === "PUT") return respond(updateTicketFromBody(id, body), 200);
        if (method === "DELETE") {
          // Reference "Delete a ticket": 204, no body; its messages go with it.
          setTicketTags(ticket, []);
          state.tickets.splice(state.tickets.indexOf(ticket), 1);
          return { status: 204 };
        }
        return notAllowed();
      }

      case "tags": {
        if (id === undefined) {
          if (method === "POST") return respond(createTagFromBody(body), 201);
          if (method !== "GET") return notAllowed();
          const search = query.get("search");
          const matches =
            search === null
              ? state.tags
              : state.tags.filter((t) => t.name.toLowerCase().includes(search.toLowerCase()));
          return listResponse(
            listPath,
            query,
            paginate(matches, query, {
              orderings: { ...byCreated, name: (t) => t.name, usage: (t) => t.usage },
              defaultOrder: "created_datetime:desc",
            }),
          );
        }
        if (method !== "GET") return notAllowed();
        const tag = tagById(id);
        return tag ? { status: 200, body: tag } : notFound(`Tag ${id} not found.`);
      }

      case "integrations": {
        if (id === undefined) {
          if (method === "POST") return respond(createIntegration(body), 201);
          if (method !== "GET") return notAllowed();
          const type = query.get("type");
          const matches =
            type === null ? state.integrations : state.integrations.filter((i) => i.type === type);
          return listResponse(
            listPath,
            query,
            paginate(matches, query, {
              orderings: byCreated,
              defaultOrder: "created_datetime:desc",
            }),
          );
        }
        const integration = state.integrations.find((i) => i.id === id);
        if (!integration) return notFound(`Integration ${id} not found.`);
        if (method === "GET") return { status: 200, body: integration };
        if (method === "PUT") return respond(updateIntegration(id, body), 200);
        if (method === "DELETE") {
          state.integrations.splice(state.integrations.indexOf(integration), 1);
          return { status: 204 };
        }
        return notAllowed();
      }

      default:
        return notFound();
    }
  }

  function listTickets(path: string, query: URLSearchParams): FakeResponse {
    const issues = new Issues();
    const customerId = query.get("customer_id");
    if (customerId !== null && !isPositiveInt(Number(customerId)))
      issues.add(["customer_id"], "Not a valid integer.");
    const status = query.get("status");
    // Unverified: Gorgias documents customer_id, external_id, view_id, rule_id, ticket_ids and
    // trashed; `status` is a convenience of this fake (on Gorgias, filter by status with a view).
    if (status !== null && !STATUSES.includes(status as GorgiasTicketStatus))
      issues.add(["status"], `Must be one of: ${STATUSES.join(", ")}.`);
    const ticketIds = query.getAll("ticket_ids").map(Number);
    if (ticketIds.some((x) => !isPositiveInt(x)))
      issues.add(["ticket_ids"], "Not a valid list of integers.");
    if (!issues.empty)
      return { status: 400, body: errorBody("Invalid query parameters.", issues.data) };
    const externalId = query.get("external_id");
    const matches = state.tickets.filter(
      (t) =>
        (customerId === null || t.customer.id === Number(customerId)) &&
        (externalId === null || t.external_id === externalId) &&
        (status === null || t.status === status) &&
        (ticketIds.length === 0 || ticketIds.includes(t.id)),
    );
    return listResponse(
      path,
      query,
      paginate(matches, query, {
        orderings: { ...byCreated, updated_datetime: (t) => t.updated_datetime },
        defaultOrder: "created_datetime:desc",
      }),
      ticketSummary,
    );
  }

  function createTagFromBody(body: unknown): Result<GorgiasTag> {
    if (!isRecord(body)) return fail(400, "Request body must be a JSON object.");
    const issues = new Issues();
    rejectUnknown(body, new Set(["name", "description", "decoration"]), [], issues);
    if (typeof body.name !== "string" || body.name.trim() === "")
      issues.add(["name"], body.name === undefined ? MISSING : "Not a valid string.");
    checkOptionalString(body.description, ["description"], issues);
    if (!issues.empty) return fail(400, "Failed to create the tag: invalid data.", issues.data);
    const name = (body.name as string).trim();
    if (tagByName(name))
      return fail(409, "A tag with this name already exists.", {
        name: ["Already used by another tag."],
      });
    return ok(
      insertTag(
        name,
        (body.description as string | null | undefined) ?? null,
        body.decoration ?? null,
      ),
    );
  }

  const notFound = (msg = "Resource not found."): FakeResponse => ({
    status: 404,
    body: errorBody(msg),
  });
  const notAllowed = (): FakeResponse => ({ status: 405, body: errorBody("Method not allowed.") });

  async function handler(request: FakeRequest): Promise<FakeResponse> {
    if (!/^\/api(\/|$)/.test(request.path)) return notFound();
    const header = request.headers.authorization;
    const account = authenticate(header);
    if (!account) {
      // Not attributable to an account, so no call-limit header here.
      return {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="Gorgias API"' },
        body: errorBody(
          header
            ? "Invalid credentials: check the email and API key."
            : "Authentication required: use HTTP Basic with your email and API key.",
        ),
      };
    }
    const token = takeToken(account.email.toLowerCase());
    const limitHeaders: Record<string, string> = rateLimit
      ? { "X-Gorgias-Account-Api-Call-Limit": `${token.used}/${rateLimit.limit}` }
      : {};
    if (!token.allowed) {
      return {
        status: 429,
        headers: { ...limitHeaders, "Retry-after": String(token.retryAfter) },
        body: errorBody(`Too many requests: retry in ${token.retryAfter} seconds.`),
      };
    }
    const response = route(request, account);
    // Answers are serialised now, so later changes to state don't leak into a delayed response.
    return {
      ...response,
      body: response.body === undefined ? undefined : clone(response.body),
      headers: { ...limitHeaders, ...response.headers },
    };
  }

  const server = await startFake(handler, {
    ...options,
    redactHeaders: ["authorization", ...(options.redactHeaders ?? [])],
  });

  // ----- helpers for tests and the sandbox (no auth, no rate limit, not in `received`) -----

  const fake: GorgiasFake = {
    ...server,
    apiUrl: `${server.url}/api`,
    domain,
    account: { ...accounts[0]! },
    state,
    reset() {
      state.users.length = 0;
      state.customers.length = 0;
      state.tickets.length = 0;
      state.tags.length = 0;
      state.integrations.length = 0;
      state.outgoing.length = 0;
      Object.assign(nextId, ID_BASE);
      buckets.clear();
      server.received.length = 0;
      server.setFaults({ ...initialFaults });
      seedUsers();
    },
    authorization(account = accounts[0]!) {
      return gorgiasBasicAuth(account.email, account.apiKey);
    },
    openTicket(input) {
      const channel = input.channel ?? "email";
      const customer = {
        email: input.customer.email,
        ...(input.customer.name ? { name: input.customer.name } : {}),
      };
      const ticket = unwrap(
        createTicket({
          customer,
          channel,
          via: channel,
          from_agent: false,
          ...(input.subject !== undefined ? { subject: input.subject } : {}),
          ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
          ...(input.tags ? { tags: input.tags.map((name) => ({ name })) } : {}),
          messages: [
            {
              channel,
              via: channel,
              from_agent: false,
              sender: customer,
              receiver: { email: accounts[0]!.email },
              subject: input.subject ?? null,
              body_text:
                input.body ?? (input.bodyHtml ? null : "Hello, I need help with my order."),
              ...(input.bodyHtml ? { body_html: input.bodyHtml } : {}),
            },
          ],
        }),
      );
      return clone(ticket);
    },
    closeTicket(ticketId) {
      return clone(unwrap(updateTicketFromBody(ticketId, { status: "closed" })));
    },
    reopenTicket(ticketId) {
      return clone(unwrap(updateTicketFromBody(ticketId, { status: "open" })));
    },
    updateTicket(ticketId, patch) {
      return clone(unwrap(updateTicketFromBody(ticketId, patch)));
    },
    addMessage(ticketId, input) {
      const ticket = findTicket(ticketId);
      if (!ticket) throw new GorgiasFakeError(404, errorBody(`Ticket ${ticketId} not found.`));
      const agent = { id: state.users[0]!.id };
      const customer = { id: ticket.customer.id };
      const channel = input.from === "note" ? "internal-note" : (input.channel ?? ticket.channel);
      const message = unwrap(
        addMessageFromBody(ticketId, {
          channel,
          via: input.from === "customer" ? channel : "helpdesk",
          from_agent: input.from !== "customer",
          sender: input.from === "customer" ? customer : agent,
          ...(input.from === "agent" ? { receiver: customer } : {}),
          body_text: input.text,
          ...(input.html ? { body_html: input.html } : {}),
        }),
      );
      return clone(message);
    },
    createCustomer(input) {
      return clone(unwrap(createCustomerFromBody(input)));
    },
    flushOutgoing,
    async close() {
      closing = true;
      for (const controller of inFlight) controller.abort(new Error("fake closed"));
      await flushOutgoing();
      await server.close();
    },
  };
  return fake;
}
