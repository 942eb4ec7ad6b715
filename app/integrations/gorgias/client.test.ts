import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GORGIAS_DEFAULT_ACCOUNT,
  startGorgiasFake,
  type GorgiasFake,
} from "../../../sandbox/fakes/gorgias";
import { VendorRetryableError, VendorTerminalError } from "../http.server";
import { createGorgiasClient, GORGIAS_TRIGGERS, type GorgiasClientOptions } from "./client.server";

let fake: GorgiasFake;
const client = (options: Partial<GorgiasClientOptions> = {}) =>
  createGorgiasClient({
    domain: fake.domain,
    email: GORGIAS_DEFAULT_ACCOUNT.email,
    apiKey: GORGIAS_DEFAULT_ACCOUNT.apiKey,
    baseUrl: fake.apiUrl,
    timeoutMs: 2_000,
    ...options,
  });

async function failure(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => expect.unreachable("expected the call to fail"),
    (error) => error,
  );
}

const ticket = (externalId: string) => ({
  customer: { email: "jane.doe@example.com", name: "Jane Doe" },
  subject: "Order #1042 is running late",
  bodyText: "UPS reports a delay on order #1042 (new estimate: Friday).",
  tags: ["switchboard", "proactive-wismo"],
  externalId,
});

beforeAll(async () => {
  fake = await startGorgiasFake({ domain: "acme", rateLimit: false });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
});

describe("Gorgias client against the Gorgias fake", () => {
  it("authenticates with Basic email:apiKey and reads the helpdesk's domain", async () => {
    expect(await client().getAccount()).toEqual({
      domain: "acme",
      userEmail: GORGIAS_DEFAULT_ACCOUNT.email,
    });
    expect(fake.received[0]!.headers.authorization).toBe("[redacted]");
  });

  it("finds or creates a customer by email, once", async () => {
    const first = await client().findOrCreateCustomer({
      email: "jane.doe@example.com",
      name: "Jane Doe",
    });
    const second = await client().findOrCreateCustomer({ email: "JANE.DOE@example.com" });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(fake.state.customers).toHaveLength(1);
  });

  it("creates a ticket with its first message, tags and external_id; a retry finds it instead of making another", async () => {
    const first = await client().createTicket(
      ticket(
        "deliver-gorgias:acme.myshopify.com:shipping-delay-outreach:fulfillment/77:gorgias-ticket",
      ),
    );
    const retry = await client().createTicket(
      ticket(
        "deliver-gorgias:acme.myshopify.com:shipping-delay-outreach:fulfillment/77:gorgias-ticket",
      ),
    );
    expect(first.created).toBe(true);
    expect(retry).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    expect(fake.state.tickets).toHaveLength(1);
    const [stored] = fake.state.tickets;
    expect(stored).toMatchObject({
      status: "open",
      subject: "Order #1042 is running late",
      external_id:
        "deliver-gorgias:acme.myshopify.com:shipping-delay-outreach:fulfillment/77:gorgias-ticket",
      channel: "api",
      via: "api",
      customer: { email: "jane.doe@example.com" },
    });
    expect(stored!.tags.map((t) => t.name)).toEqual(["switchboard", "proactive-wismo"]);
    expect(stored!.messages[0]).toMatchObject({
      channel: "api",
      via: "api",
      from_agent: false,
      sender: { email: "jane.doe@example.com" },
      body_text: expect.stringContaining("UPS"),
    });
  });

  it("writes the first message as the key's agent when asked", async () => {
    await client().createTicket({ ...ticket("agent-1"), fromAgent: true });
    expect(fake.state.tickets[0]!.messages[0]).toMatchObject({
      from_agent: true,
      sender: { email: GORGIAS_DEFAULT_ACCOUNT.email },
      receiver: { email: "jane.doe@example.com" },
    });
  });

  it("adds tags and an internal note (once per external id)", async () => {
    const { ticket: created } = await client().createTicket(ticket("t-1"));
    await client().addTicketTags(created.id, ["vip", "switchboard"]);
    const note = await client().addInternalNote(created.id, {
      bodyText: "High-value order: call the customer.",
      externalId: "note-1",
    });
    const again = await client().addInternalNote(created.id, {
      bodyText: "High-value order: call the customer.",
      externalId: "note-1",
    });
    expect(again).toEqual({ id: note.id, created: false });
    const stored = fake.state.tickets[0]!;
    expect(stored.tags.map((t) => t.name).sort()).toEqual([
      "proactive-wismo",
      "switchboard",
      "vip",
    ]);
    const notes = stored.messages.filter((m) => m.channel === "internal-note");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ public: false, from_agent: true });
  });

  it("lists only a customer's open tickets", async () => {
    const open = fake.openTicket({
      customer: { email: "jane.doe@example.com" },
      subject: "Where is my order?",
    });
    const closed = fake.openTicket({
      customer: { email: "jane.doe@example.com" },
      subject: "Old question",
    });
    fake.closeTicket(closed.id);
    fake.openTicket({ customer: { email: "other@example.com" } });
    expect((await client().listOpenTickets("jane.doe@example.com")).map((t) => t.id)).toEqual([
      open.id,
    ]);
    expect(await client().listOpenTickets("nobody@example.com")).toEqual([]);
  });

  it("registers its HTTP integration once, refreshing it on a second connect", async () => {
    const input = {
      name: "Switchboard",
      url: "http://127.0.0.1:1/integrations/gorgias/webhook?shop=acme.myshopify.com",
      headers: { "X-Switchboard-Token": "first" },
      form: { ticket_id: "{{ticket.id}}" },
      triggers: GORGIAS_TRIGGERS,
    };
    const first = await client().ensureHttpIntegration(input);
    const second = await client().ensureHttpIntegration({
      ...input,
      headers: { "X-Switchboard-Token": "second" },
    });
    expect(second).toEqual({ id: first.id, created: false });
    expect(fake.state.integrations).toHaveLength(1);
    expect(fake.state.integrations[0]!.http).toMatchObject({
      url: input.url,
      method: "POST",
      headers: { "X-Switchboard-Token": "second" },
      triggers: { "ticket-created": true, "ticket-updated": true, "ticket-message-created": true },
    });
    await client().deleteIntegration(first.id);
    await client().deleteIntegration(first.id);
    expect(fake.state.integrations).toHaveLength(0);
  });

  it("turns field errors into a TerminalError carrying Gorgias's message", async () => {
    const error = await failure(client().findOrCreateCustomer({ email: "not-an-email" }));
    expect(error).toBeInstanceOf(VendorTerminalError);
    expect(error.status).toBe(400);
    expect(error.detail).toBe("Invalid customer. email: Not a valid email address.");
  });

  it("treats wrong credentials as terminal and its 429 as retryable with Retry-after", async () => {
    const wrong = await failure(client({ apiKey: "wrong-key" }).getAccount());
    expect(wrong).toMatchObject({ failure: "unauthorized", status: 401 });
    const limited = await startGorgiasFake({
      domain: "acme",
      rateLimit: { limit: 2, windowSeconds: 20 },
    });
    try {
      const c = client({ baseUrl: limited.apiUrl });
      await c.getAccount();
      await c.getAccount();
      const throttled = await failure(c.getAccount());
      expect(throttled).toBeInstanceOf(VendorRetryableError);
      expect(throttled).toMatchObject({
        failure: "rate-limited",
        status: 429,
        retryAfterSeconds: 10,
      });
      expect(throttled.detail).toContain("Too many requests");
    } finally {
      await limited.close();
    }
  });
});
