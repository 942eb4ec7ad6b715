import type { z } from "zod";
import { gorgiasApiUrl, vendorEndpoints } from "../config.server";
import {
  createVendorHttp,
  VendorTerminalError,
  type RequestPacer,
  type VendorCall,
  type VendorRequest,
} from "../http.server";
import { parseGorgiasError } from "./errors";
import {
  accountResponse,
  customerResource,
  customersResponse,
  integrationResource,
  integrationsResponse,
  messageResource,
  messagesResponse,
  ticketResource,
  ticketsResponse,
  type GorgiasTicketSummary,
} from "./schemas";

/**
 * A thin client for the Gorgias REST API with a private app's API key (HTTP Basic,
 * `email:apiKey`). No retries (the job queue does that), no persistence (callers do).
 */

/** ticket-message-created: an agent's reply dates the first response even when the status stays. */
export const GORGIAS_TRIGGERS = [
  "ticket-created",
  "ticket-updated",
  "ticket-message-created",
] as const;
/** Gorgias caps `external_id` at 255 characters. */
export const GORGIAS_EXTERNAL_ID_MAX = 255;
const PAGE = 100;

export interface GorgiasClientOptions {
  /** The helpdesk subdomain: `acme` for acme.gorgias.com. */
  domain: string;
  /** The helpdesk user the key belongs to. */
  email: string;
  apiKey: string;
  /** Default: GORGIAS_API_URL with `{domain}` filled in. */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  pacer?: RequestPacer;
  onCall?: (call: VendorCall) => void;
  signal?: AbortSignal;
}

export interface GorgiasCustomerInput {
  email: string;
  name?: string;
}

export interface GorgiasTicketInput {
  customer: GorgiasCustomerInput;
  subject: string;
  /** Plain text of the first message (and HTML, optionally). */
  bodyText: string;
  bodyHtml?: string;
  tags?: string[];
  /** Our idempotency key; the ticket is looked up by it before one is created. */
  externalId: string;
  /** Default "api": tickets on the api channel fire no auto-reply rules. */
  channel?: string;
  /**
   * false (default): the first message is on the customer's behalf (sender = customer), as
   * Gorgias documents for tickets created through the API. true: written by the key's user
   * (sender = that user, receiver = the customer).
   */
  fromAgent?: boolean;
}

export interface GorgiasHttpIntegrationInput {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** JSON body template, rendered by Gorgias (`{{ticket.id}}`…). */
  form: Record<string, string>;
  triggers: readonly string[];
}

function truncate(value: string, max: number) {
  return value.length > max ? value.slice(0, max) : value;
}

export function createGorgiasClient(options: GorgiasClientOptions) {
  const endpoints = vendorEndpoints();
  const baseUrl = (
    options.baseUrl ?? gorgiasApiUrl(options.domain, endpoints.gorgiasBaseUrl)
  ).replace(/\/+$/, "");
  const http = createVendorHttp({
    vendor: "gorgias",
    baseUrl,
    headers: {
      authorization: `Basic ${Buffer.from(`${options.email}:${options.apiKey}`, "utf8").toString("base64")}`,
    },
    fetch: options.fetch ?? endpoints.fetch,
    timeoutMs: options.timeoutMs ?? endpoints.timeoutMs,
    pacer: options.pacer,
    onCall: options.onCall,
    signal: options.signal,
    parseError: parseGorgiasError,
  });
  const send = <S extends z.ZodType | undefined = undefined>(req: VendorRequest<S>) =>
    http.request<S>(req);

  /** Every item of a cursor-paginated list (`meta.next_cursor`), up to `max`. */
  async function all<T extends z.ZodType>(
    operation: string,
    path: string,
    query: Record<string, string | number>,
    schema: z.ZodType<{ data: z.output<T>[]; meta?: { next_cursor?: string | null } | null }>,
    max = 1_000,
  ): Promise<z.output<T>[]> {
    const items: z.output<T>[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await send({
        operation,
        method: "GET",
        path,
        query: { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) },
        schema,
      });
      items.push(...data.data);
      cursor = data.meta?.next_cursor ?? undefined;
    } while (cursor && items.length < max);
    return items;
  }

  /** The helpdesk's domain and the key's user: what "Test connection" checks. */
  async function getAccount(): Promise<{ domain: string; userEmail: string | null }> {
    const { data } = await send({
      operation: "get-account",
      method: "GET",
      path: "/account",
      schema: accountResponse,
    });
    return { domain: data.domain, userEmail: data.current_user?.email ?? null };
  }

  async function findCustomerByEmail(
    email: string,
  ): Promise<z.output<typeof customerResource> | null> {
    const { data } = await send({
      operation: "get-customers",
      method: "GET",
      path: "/customers",
      query: { email, limit: 1 },
      schema: customersResponse,
    });
    return data.data[0] ?? null;
  }

  async function findOrCreateCustomer(
    input: GorgiasCustomerInput,
  ): Promise<{ id: number; created: boolean }> {
    const existing = await findCustomerByEmail(input.email);
    if (existing) return { id: existing.id, created: false };
    try {
      const { data } = await send({
        operation: "create-customer",
        method: "POST",
        path: "/customers",
        body: { email: input.email, ...(input.name ? { name: input.name } : {}) },
        schema: customerResource,
      });
      return { id: data.id, created: true };
    } catch (error) {
      // Someone created it between our lookup and our create: use theirs.
      if (error instanceof VendorTerminalError && error.failure === "conflict") {
        const raced = await findCustomerByEmail(input.email);
        if (raced) return { id: raced.id, created: false };
      }
      throw error;
    }
  }

  async function findTicketByExternalId(externalId: string): Promise<GorgiasTicketSummary | null> {
    const { data } = await send({
      operation: "get-tickets",
      method: "GET",
      path: "/tickets",
      query: { external_id: externalId, limit: 1 },
      schema: ticketsResponse,
    });
    return data.data.find((t) => t.external_id === externalId) ?? null;
  }

  /**
   * The ticket with our external id, created only when Gorgias has none: a retry after a
   * timeout (when Gorgias may have made the ticket without us hearing back) never makes a second.
   */
  async function createTicket(
    input: GorgiasTicketInput,
  ): Promise<{ ticket: GorgiasTicketSummary; created: boolean }> {
    if (input.externalId.length > GORGIAS_EXTERNAL_ID_MAX) {
      throw new RangeError(`external_id is at most ${GORGIAS_EXTERNAL_ID_MAX} characters`);
    }
    const existing = await findTicketByExternalId(input.externalId);
    if (existing) return { ticket: existing, created: false };
    const customer = await findOrCreateCustomer(input.customer);
    const channel = input.channel ?? "api";
    const fromAgent = input.fromAgent ?? false;
    const message = {
      channel,
      via: "api",
      from_agent: fromAgent,
      sender: fromAgent ? { email: options.email } : { id: customer.id },
      ...(fromAgent ? { receiver: { id: customer.id } } : {}),
      subject: truncate(input.subject, 998),
      body_text: input.bodyText,
      ...(input.bodyHtml ? { body_html: input.bodyHtml } : {}),
      external_id: input.externalId,
    };
    const { data } = await send({
      operation: "create-ticket",
      method: "POST",
      path: "/tickets",
      body: {
        customer: { id: customer.id },
        channel,
        via: "api",
        from_agent: fromAgent,
        subject: truncate(input.subject, 998),
        external_id: input.externalId,
        ...(input.tags?.length ? { tags: input.tags.map((name) => ({ name })) } : {}),
        messages: [message],
      },
      schema: ticketResource,
    });
    return { ticket: data, created: true };
  }

  async function getTicket(ticketId: number): Promise<GorgiasTicketSummary> {
    const { data } = await send({
      operation: "get-ticket",
      method: "GET",
      path: `/tickets/${ticketId}`,
      schema: ticketResource,
    });
    return data;
  }

  /** Adds tags (by name) to a ticket; tags it already has are left as they are. */
  async function addTicketTags(ticketId: number, names: readonly string[]): Promise<void> {
    await send({
      operation: "add-ticket-tags",
      method: "POST",
      path: `/tickets/${ticketId}/tags`,
      body: { names: [...names] },
    });
  }

  /**
   * An internal note (not sent to the customer) by the key's user. With `externalId`, a note
   * already carrying it is not written again.
   */
  async function addInternalNote(
    ticketId: number,
    note: { bodyText: string; bodyHtml?: string; externalId?: string },
  ): Promise<{ id: number; created: boolean }> {
    if (note.externalId) {
      const messages = await all<typeof messageResource>(
        "get-ticket-messages",
        `/tickets/${ticketId}/messages`,
        {},
        messagesResponse,
        500,
      );
      const existing = messages.find((m) => m.external_id === note.externalId);
      if (existing) return { id: existing.id, created: false };
    }
    const { data } = await send({
      operation: "create-note",
      method: "POST",
      path: `/tickets/${ticketId}/messages`,
      body: {
        channel: "internal-note",
        via: "api",
        from_agent: true,
        sender: { email: options.email },
        body_text: note.bodyText,
        ...(note.bodyHtml ? { body_html: note.bodyHtml } : {}),
        ...(note.externalId ? { external_id: note.externalId } : {}),
      },
      schema: messageResource,
    });
    return { id: data.id, created: true };
  }

  /** A customer's tickets that are open (not closed, spam or trashed), newest first. */
  async function listOpenTickets(email: string): Promise<GorgiasTicketSummary[]> {
    const customer = await findCustomerByEmail(email);
    if (!customer) return [];
    const tickets = await all<typeof ticketResource>(
      "get-tickets",
      "/tickets",
      { customer_id: customer.id },
      ticketsResponse,
    );
    return tickets.filter((t) => t.status === "open" && !t.spam && !t.trashed_datetime);
  }

  /**
   * One page of the helpdesk's tickets, newest first (Gorgias's default order), and the cursor
   * of the next page (null after the last). Gorgias documents no status filter on this list
   * (it filters by view), so callers keep the open ones themselves.
   */
  async function listTicketsPage(
    cursor: string | null,
    limit = PAGE,
  ): Promise<{ tickets: GorgiasTicketSummary[]; nextCursor: string | null }> {
    const { data } = await send({
      operation: "get-tickets",
      method: "GET",
      path: "/tickets",
      query: { limit, ...(cursor ? { cursor } : {}) },
      schema: ticketsResponse,
    });
    return { tickets: data.data, nextCursor: data.meta?.next_cursor ?? null };
  }

  /** DELETE that counts a 404 (already gone) as done, so a rerun after a lost answer is harmless. */
  async function deleteIfPresent(operation: string, path: string): Promise<boolean> {
    try {
      await send({ operation, method: "DELETE", path });
      return true;
    } catch (error) {
      if (error instanceof VendorTerminalError && error.failure === "not-found") return false;
      throw error;
    }
  }

  /**
   * Erases a person from the helpdesk: every customer with this email, each one's tickets first
   * (`DELETE /api/tickets/{id}`), then the customer (`DELETE /api/customers/{id}`). Gorgias does
   * not document whether deleting a customer takes their tickets with it, so they are deleted
   * explicitly. Nothing found is nothing to do.
   */
  async function eraseCustomer(email: string): Promise<{ customers: number; tickets: number }> {
    const found = await all<typeof customerResource>(
      "get-customers",
      "/customers",
      { email },
      customersResponse,
    );
    let customers = 0;
    let tickets = 0;
    for (const customer of found) {
      const theirs = await all<typeof ticketResource>(
        "get-tickets",
        "/tickets",
        { customer_id: customer.id },
        ticketsResponse,
        100_000,
      );
      for (const ticket of theirs) {
        if (await deleteIfPresent("delete-ticket", `/tickets/${ticket.id}`)) tickets++;
      }
      if (await deleteIfPresent("delete-customer", `/customers/${customer.id}`)) customers++;
    }
    return { customers, tickets };
  }

  async function listHttpIntegrations() {
    return all<typeof integrationResource>(
      "get-integrations",
      "/integrations",
      { type: "http" },
      integrationsResponse,
    );
  }

  /**
   * Registers (or refreshes) our HTTP integration: the one whose URL or name matches is updated
   * in place, so connecting twice never makes a second subscription.
   */
  async function ensureHttpIntegration(
    input: GorgiasHttpIntegrationInput,
  ): Promise<{ id: number; created: boolean }> {
    const body = {
      name: input.name,
      type: "http",
      http: {
        url: input.url,
        method: "POST",
        headers: input.headers,
        form: input.form,
        request_content_type: "application/json",
        response_content_type: "application/json",
        triggers: Object.fromEntries(input.triggers.map((t) => [t, true])),
      },
    };
    const existing = (await listHttpIntegrations()).find(
      (i) => i.http?.url === input.url || i.name === input.name,
    );
    if (existing) {
      const { type: _type, ...update } = body;
      await send({
        operation: "update-integration",
        method: "PUT",
        path: `/integrations/${existing.id}`,
        body: { ...update, deactivated_datetime: null },
        schema: integrationResource,
      });
      return { id: existing.id, created: false };
    }
    const { data } = await send({
      operation: "create-integration",
      method: "POST",
      path: "/integrations",
      body,
      schema: integrationResource,
    });
    return { id: data.id, created: true };
  }

  async function deleteIntegration(integrationId: number): Promise<void> {
    try {
      await send({
        operation: "delete-integration",
        method: "DELETE",
        path: `/integrations/${integrationId}`,
      });
    } catch (error) {
      if (error instanceof VendorTerminalError && error.failure === "not-found") return;
      throw error;
    }
  }

  return {
    baseUrl,
    getAccount,
    findCustomerByEmail,
    findOrCreateCustomer,
    findTicketByExternalId,
    createTicket,
    getTicket,
    addTicketTags,
    addInternalNote,
    listOpenTickets,
    listTicketsPage,
    eraseCustomer,
    listHttpIntegrations,
    ensureHttpIntegration,
    deleteIntegration,
  };
}

export type GorgiasClient = ReturnType<typeof createGorgiasClient>;
