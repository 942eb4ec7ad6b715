import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GORGIAS_DEFAULT_ACCOUNT,
  gorgiasBasicAuth,
  startGorgiasFake,
  type GorgiasFake,
  type GorgiasFakeOptions,
  type GorgiasTicket,
} from "./gorgias";

// ----- helpers -----

let fake: GorgiasFake;
const started: Array<{ close(): Promise<void> }> = [];

async function start(options: GorgiasFakeOptions = {}): Promise<GorgiasFake> {
  const server = await startGorgiasFake(options);
  started.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = fake.authorization(),
): Promise<Answer> {
  const response = await fetch(`${fake.apiUrl}${path}`, {
    method,
    headers: {
      accept: "application/json",
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(auth ? { authorization: auth } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

function customerMessage(overrides: Record<string, unknown> = {}) {
  return {
    channel: "api",
    via: "api",
    from_agent: false,
    sender: { email: "shopper@example.com" },
    body_text: "Where is my refund?",
    ...overrides,
  };
}

function validTicket(overrides: Record<string, unknown> = {}) {
  return {
    customer: { email: "shopper@example.com", name: "Sam Shopper" },
    channel: "api",
    via: "api",
    subject: "Refund for order #1001",
    external_id: "switchboard:refund:1001",
    tags: [{ name: "refund" }, { name: "switchboard" }],
    messages: [customerMessage()],
    ...overrides,
  };
}

/** A loopback HTTP server that records what the fake's integrations send it. */
async function startReceiver(status = 200) {
  const calls: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> =
    [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      calls.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(status, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handle = {
    url,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  started.push(handle);
  return handle;
}

// ----- tests -----

describe("Gorgias fake: tickets", () => {
  beforeEach(async () => {
    fake = await start();
  });

  it("creates a ticket with its messages, tags and customer, and serves it back", async () => {
    const created = await call("POST", "/tickets", validTicket());

    expect(created.status).toBe(201);
    const ticket: GorgiasTicket = created.body;
    expect(ticket).toMatchObject({
      status: "open",
      channel: "api",
      via: "api",
      subject: "Refund for order #1001",
      external_id: "switchboard:refund:1001",
      customer: { email: "shopper@example.com", name: "Sam Shopper" },
      messages_count: 1,
    });
    expect(ticket.tags.map((t) => t.name)).toEqual(["refund", "switchboard"]);
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({
      ticket_id: ticket.id,
      from_agent: false,
      public: true,
      body_text: "Where is my refund?",
      sender: { email: "shopper@example.com", id: ticket.customer.id },
    });

    const fetched = await call("GET", `/tickets/${ticket.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(ticket);

    const customer = await call("GET", `/customers/${ticket.customer.id}`);
    expect(customer.body).toMatchObject({
      email: "shopper@example.com",
      firstname: "Sam",
      lastname: "Shopper",
    });

    const tags = await call("GET", "/tags?order_by=name:asc");
    expect(tags.body.data.map((t: { name: string; usage: number }) => [t.name, t.usage])).toEqual([
      ["refund", 1],
      ["switchboard", 1],
    ]);
    expect(fake.state.tickets).toHaveLength(1);
  });

  it("finds a ticket by external_id, and filters by customer_id and status", async () => {
    const first = (await call("POST", "/tickets", validTicket({ external_id: "order-1" }))).body;
    await call("POST", "/tickets", validTicket({ external_id: "order-2" }));
    const other = await call(
      "POST",
      "/tickets",
      validTicket({
        external_id: "order-3",
        customer: { email: "other@example.com" },
        status: "closed",
      }),
    );

    const byExternalId = await call("GET", "/tickets?external_id=order-1");
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.body.data.map((t: GorgiasTicket) => t.id)).toEqual([first.id]);
    expect(byExternalId.body.meta).toEqual({ prev_cursor: null, next_cursor: null });

    const none = await call("GET", "/tickets?external_id=order-404");
    expect(none.body.data).toEqual([]);

    const byCustomer = await call("GET", `/tickets?customer_id=${other.body.customer.id}`);
    expect(byCustomer.body.data.map((t: GorgiasTicket) => t.external_id)).toEqual(["order-3"]);

    const open = await call("GET", "/tickets?status=open");
    expect(open.body.data.map((t: GorgiasTicket) => t.external_id).sort()).toEqual([
      "order-1",
      "order-2",
    ]);

    const badStatus = await call("GET", "/tickets?status=pending");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.data).toHaveProperty("status");
  });

  it("pages through tickets with limit and meta.next_cursor, newest first", async () => {
    for (let i = 1; i <= 5; i++)
      await call("POST", "/tickets", validTicket({ external_id: `t-${i}` }));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await call("GET", `/tickets${query}`);
      expect(page.status).toBe(200);
      expect(page.body.object).toBe("list");
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((t: GorgiasTicket) => t.external_id));
      cursor = page.body.meta.next_cursor;
      pages++;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual(["t-5", "t-4", "t-3", "t-2", "t-1"]);
    expect((await call("GET", "/tickets?limit=101")).status).toBe(400);
    expect((await call("GET", "/tickets?cursor=not-a-cursor")).status).toBe(400);
  });

  it.each([
    ["channel", ["channel"]],
    ["via", ["via"]],
    ["from_agent", ["from_agent"]],
    ["sender", ["sender"]],
    ["body_text", ["body_text", "body_html"]],
  ])("rejects a message without %s with a 400 naming the field", async (field, removed) => {
    const message: Record<string, unknown> = customerMessage();
    for (const key of removed) delete message[key];

    const answer = await call("POST", "/tickets", validTicket({ messages: [message] }));

    expect(answer.status).toBe(400);
    expect(answer.body.error.msg).toEqual(expect.any(String));
    expect(answer.body.error.data.messages["0"][field]).toEqual([
      expect.stringContaining("Missing data"),
    ]);
    expect(fake.state.tickets).toHaveLength(0);
    expect(fake.state.customers).toHaveLength(0);
  });

  it("rejects other invalid tickets with the offending field named", async () => {
    const cases: Array<[Record<string, unknown>, (data: any) => unknown]> = [
      [{ messages: undefined }, (d) => d.messages],
      [{ messages: [] }, (d) => d.messages],
      [{ messages: Array.from({ length: 501 }, () => customerMessage()) }, (d) => d.messages],
      [{ external_id: "x".repeat(256) }, (d) => d.external_id],
      [{ status: "pending" }, (d) => d.status],
      [{ tags: [{ colour: "red" }] }, (d) => d.tags["0"]],
      [{ customer: { id: 424242 } }, (d) => d.customer.id],
      [{ messages: [customerMessage({ from_agent: "no" })] }, (d) => d.messages["0"].from_agent],
      [{ messages: [customerMessage({ sender: {} })] }, (d) => d.messages["0"].sender],
      [{ messages: [customerMessage({ channel: "Email" })] }, (d) => d.messages["0"].channel],
      [{ priority_level: "high" }, (d) => d.priority_level],
    ];
    for (const [overrides, pick] of cases) {
      const answer = await call("POST", "/tickets", validTicket(overrides));
      expect(answer.status, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(pick(answer.body.error.data), JSON.stringify(answer.body)).toBeTruthy();
    }
    expect((await call("POST", "/tickets", undefined)).status).toBe(400);
    expect(fake.state.tickets).toHaveLength(0);
  });

  it("updates status, subject and tags with PUT", async () => {
    const ticket = (await call("POST", "/tickets", validTicket())).body;

    const closed = await call("PUT", `/tickets/${ticket.id}`, {
      status: "closed",
      subject: "Refund sent",
      tags: [{ name: "resolved" }],
    });

    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", subject: "Refund sent" });
    expect(closed.body.closed_datetime).toEqual(expect.any(String));
    expect(closed.body.tags.map((t: { name: string }) => t.name)).toEqual(["resolved"]);
    expect((await call("PUT", `/tickets/${ticket.id}`, { status: "snoozed" })).status).toBe(400);
    expect((await call("PUT", "/tickets/999", { status: "open" })).status).toBe(404);
  });

  it("adds tags by name and an internal note", async () => {
    const ticket = (await call("POST", "/tickets", validTicket({ tags: [] }))).body;

    const tagged = await call("POST", `/tickets/${ticket.id}/tags`, { names: ["vip", "refund"] });
    expect(tagged.status).toBe(201);
    const again = await call("POST", `/tickets/${ticket.id}/tags`, { names: ["vip"] });
    expect(again.body.data.map((t: { name: string }) => t.name)).toEqual(["vip", "refund"]);

    const note = await call("POST", `/tickets/${ticket.id}/messages`, {
      channel: "internal-note",
      via: "api",
      from_agent: true,
      sender: { email: GORGIAS_DEFAULT_ACCOUNT.email },
      body_text: "Refund issued by Switchboard.",
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ channel: "internal-note", public: false, from_agent: true });
    expect(note.body.sender.email).toBe(GORGIAS_DEFAULT_ACCOUNT.email);

    const notFromCustomer = await call("POST", `/tickets/${ticket.id}/messages`, {
      channel: "internal-note",
      via: "api",
      from_agent: false,
      sender: { email: "shopper@example.com" },
      body_text: "sneaky",
    });
    expect(notFromCustomer.status).toBe(400);
    expect(notFromCustomer.body.error.data).toHaveProperty("from_agent");

    const fetched = (await call("GET", `/tickets/${ticket.id}`)).body;
    expect(fetched.tags.map((t: { name: string }) => t.name)).toEqual(["vip", "refund"]);
    expect(fetched.messages.map((m: { body_text: string }) => m.body_text)).toEqual([
      "Where is my refund?",
      "Refund issued by Switchboard.",
    ]);
    const tags = await call("GET", "/tags");
    expect(tags.body.data.map((t: { name: string }) => t.name).sort()).toEqual(["refund", "vip"]);
  });
});

describe("Gorgias fake: customers", () => {
  beforeEach(async () => {
    fake = await start();
  });

  it("supports find-or-create by email", async () => {
    const before = await call("GET", "/customers?email=new.shopper@example.com");
    expect(before.status).toBe(200);
    expect(before.body.data).toEqual([]);

    const created = await call("POST", "/customers", {
      email: "new.shopper@example.com",
      name: "New Shopper",
      external_id: "shopify:123",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: "new.shopper@example.com",
      external_id: "shopify:123",
    });

    const found = await call("GET", "/customers?email=New.Shopper@example.com");
    expect(found.body.data.map((c: { id: number }) => c.id)).toEqual([created.body.id]);

    const duplicate = await call("POST", "/customers", { email: "new.shopper@example.com" });
    expect(duplicate.status).toBe(409);

    // A ticket for that email reuses the customer instead of creating another.
    const ticket = await call(
      "POST",
      "/tickets",
      validTicket({ customer: { email: "new.shopper@example.com" } }),
    );
    expect(ticket.body.customer.id).toBe(created.body.id);
    // A ticket for an unknown email creates the customer.
    const fresh = await call(
      "POST",
      "/tickets",
      validTicket({ customer: { email: "fresh@example.com" } }),
    );
    expect(fresh.status).toBe(201);
    expect((await call("GET", "/customers?email=fresh@example.com")).body.data).toHaveLength(1);
    expect((await call("GET", "/customers/1")).status).toBe(404);
  });
});

describe("Gorgias fake: auth and rate limits", () => {
  it("answers 401 with a JSON error without valid Basic credentials", async () => {
    fake = await start();
    const attempts = [
      null,
      gorgiasBasicAuth(GORGIAS_DEFAULT_ACCOUNT.email, "wrong-key"),
      gorgiasBasicAuth("someone@else.test", GORGIAS_DEFAULT_ACCOUNT.apiKey),
      `Bearer ${GORGIAS_DEFAULT_ACCOUNT.apiKey}`,
    ];
    for (const auth of attempts) {
      const answer = await call("GET", "/tickets", undefined, auth);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(answer.body.error.msg).toEqual(expect.any(String));
    }
    const good = await call("GET", "/tickets");
    expect(good.status).toBe(200);
  });

  it("accepts the configured accounts only", async () => {
    fake = await start({ accounts: [{ email: "ops@shop.test", apiKey: "k-1" }], domain: "acme" });
    expect(
      (await call("GET", "/account", undefined, gorgiasBasicAuth("ops@shop.test", "k-1"))).body
        .domain,
    ).toBe("acme");
    const defaults = gorgiasBasicAuth(
      GORGIAS_DEFAULT_ACCOUNT.email,
      GORGIAS_DEFAULT_ACCOUNT.apiKey,
    );
    expect((await call("GET", "/account", undefined, defaults)).status).toBe(401);
  });

  it("answers the 41st request within 20 s with 429, Retry-after and the call-limit header", async () => {
    let now = Date.parse("2025-01-01T00:00:00Z");
    fake = await start({ clock: () => now });

    for (let i = 1; i <= 40; i++) {
      const answer = await call("GET", "/tickets");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-gorgias-account-api-call-limit")).toBe(`${i}/40`);
    }
    const limited = await call("GET", "/tickets");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-gorgias-account-api-call-limit")).toBe("40/40");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body.error.msg).toEqual(expect.any(String));

    // The bucket leaks 2 requests per second.
    now += retryAfter * 1000;
    const afterWaiting = await call("GET", "/tickets");
    expect(afterWaiting.status).toBe(200);
    now += 20_000;
    expect((await call("GET", "/tickets")).headers.get("x-gorgias-account-api-call-limit")).toBe(
      "1/40",
    );
  });

  it("rate-limits in real time too, and each account has its own bucket", async () => {
    const second = { email: "second@switchboard.test", apiKey: "second-key" };
    fake = await start({ accounts: [GORGIAS_DEFAULT_ACCOUNT, second], rateLimit: { limit: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("GET", "/tags")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const other = await call("GET", "/tags", undefined, fake.authorization(second));
    expect(other.status).toBe(200);
    expect(other.headers.get("x-gorgias-account-api-call-limit")).toBe("1/5");
  });
});

describe("Gorgias fake: HTTP integrations", () => {
  beforeEach(async () => {
    fake = await start({ domain: "acme" });
  });

  const form = {
    event: "ticket",
    ticket_id: "{{ticket.id}}",
    status: "{{ticket.status}}",
    email: "{{ticket.customer.email}}",
    external_id: "{{ticket.external_id}}",
    subject: "{{ticket.subject}}",
    tags: "{{ticket.tags}}",
    nested: { summary: "Ticket {{ ticket.id }} on {{ticket.account.domain}} is {{ticket.status}}" },
    first_message: "{{ticket.messages[0].body_text}}",
  };

  it("calls subscribed integrations on ticket-created and ticket-updated with the rendered form and headers", async () => {
    const receiver = await startReceiver();
    const integration = await call("POST", "/integrations", {
      name: "Switchboard",
      type: "http",
      http: {
        url: `${receiver.url}/webhooks/gorgias?ticket={{ticket.id}}`,
        method: "POST",
        headers: { "X-Switchboard-Secret": "s3cret" },
        form,
        request_content_type: "application/json",
        triggers: ["ticket-created", "ticket-updated"],
      },
    });
    expect(integration.status).toBe(201);
    expect(integration.body.http.triggers).toMatchObject({
      "ticket-created": true,
      "ticket-updated": true,
      "ticket-message-created": false,
    });

    const ticket = (await call("POST", "/tickets", validTicket())).body;
    await fake.flushOutgoing();

    expect(receiver.calls).toHaveLength(1);
    const created = receiver.calls[0]!;
    expect(created.method).toBe("POST");
    expect(created.url).toBe(`/webhooks/gorgias?ticket=${ticket.id}`);
    expect(created.headers["x-switchboard-secret"]).toBe("s3cret");
    expect(created.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(created.body)).toEqual({
      event: "ticket",
      ticket_id: String(ticket.id),
      status: "open",
      email: "shopper@example.com",
      external_id: "switchboard:refund:1001",
      subject: "Refund for order #1001",
      tags: "refund,switchboard",
      nested: { summary: `Ticket ${ticket.id} on acme is open` },
      first_message: "Where is my refund?",
    });

    await call("PUT", `/tickets/${ticket.id}`, { status: "closed" });
    fake.reopenTicket(ticket.id);
    await fake.flushOutgoing();

    expect(receiver.calls.map((c) => JSON.parse(c.body).status)).toEqual([
      "open",
      "closed",
      "open",
    ]);
    expect(fake.state.outgoing.map((o) => [o.trigger, o.outcome, o.status])).toEqual([
      ["ticket-created", "delivered", 200],
      ["ticket-updated", "delivered", 200],
      ["ticket-updated", "delivered", 200],
    ]);
    expect(fake.state.outgoing[0]!.body).toMatchObject({ ticket_id: String(ticket.id) });
  });

  it("fires only the triggers an integration subscribed to, including for helper-made tickets", async () => {
    const receiver = await startReceiver();
    await call("POST", "/integrations", {
      name: "Updates only",
      type: "http",
      http: {
        url: `${receiver.url}/updated`,
        method: "PUT",
        form,
        triggers: { "ticket-updated": true },
      },
    });

    const ticket = fake.openTicket({
      customer: { email: "walkin@example.com", name: "Walk In" },
      subject: "Damaged parcel",
      tags: ["shipping"],
      externalId: "sandbox-1",
    });
    await fake.flushOutgoing();
    expect(receiver.calls).toHaveLength(0);

    fake.closeTicket(ticket.id);
    await fake.flushOutgoing();
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]!.method).toBe("PUT");
    expect(JSON.parse(receiver.calls[0]!.body)).toMatchObject({
      status: "closed",
      email: "walkin@example.com",
      external_id: "sandbox-1",
      tags: "shipping",
    });

    // Closing a closed ticket changes nothing, so nothing fires.
    fake.closeTicket(ticket.id);
    await fake.flushOutgoing();
    expect(receiver.calls).toHaveLength(1);
  });

  it("sends a string template form as is, and a GET form as query parameters", async () => {
    const receiver = await startReceiver(202);
    await call("POST", "/integrations", {
      name: "String form",
      type: "http",
      http: {
        url: `${receiver.url}/raw`,
        method: "POST",
        form: '{"id": {{ticket.id}}, "customer": "{{ticket.customer.email}}"}',
        triggers: { "ticket-created": true },
      },
    });
    await call("POST", "/integrations", {
      name: "Lookup",
      type: "http",
      http: {
        url: `${receiver.url}/lookup`,
        method: "GET",
        form: { email: "{{ticket.customer.email}}" },
        triggers: { ticket_created: true },
      },
    });

    const ticket = fake.openTicket({ customer: { email: "q@example.com" } });
    await fake.flushOutgoing();

    const raw = receiver.calls.find((c) => c.url === "/raw")!;
    expect(JSON.parse(raw.body)).toEqual({ id: ticket.id, customer: "q@example.com" });
    const lookup = receiver.calls.find((c) => c.url.startsWith("/lookup"))!;
    expect(lookup.method).toBe("GET");
    expect(lookup.url).toBe("/lookup?email=q%40example.com");
    expect(lookup.body).toBe("");
    expect(fake.state.outgoing.every((o) => o.status === 202)).toBe(true);
  });

  it("fires ticket-message-created for replies, and a shopper reply reopens a closed ticket", async () => {
    const receiver = await startReceiver();
    await call("POST", "/integrations", {
      name: "Messages",
      type: "http",
      http: {
        url: `${receiver.url}/m`,
        method: "POST",
        form: {
          text: "{{message.body_text}}",
          status: "{{ticket.status}}",
          event: "{{event.type}}",
        },
        triggers: { "ticket-message-created": true, "ticket-updated": true },
      },
    });
    const ticket = fake.openTicket({ customer: { email: "r@example.com" } });
    fake.closeTicket(ticket.id);
    fake.addMessage(ticket.id, { from: "customer", text: "Still broken" });
    await fake.flushOutgoing();

    expect(receiver.calls.map((c) => JSON.parse(c.body))).toEqual([
      { text: "", status: "closed", event: "ticket-updated" },
      { text: "Still broken", status: "closed", event: "ticket-message-created" },
      { text: "", status: "open", event: "ticket-updated" },
    ]);
    expect(fake.state.tickets[0]!.status).toBe("open");
  });

  it("refuses to call a non-loopback URL and records the refusal", async () => {
    await call("POST", "/integrations", {
      name: "Outside",
      type: "http",
      http: {
        url: "https://hooks.example.com/gorgias",
        method: "POST",
        form,
        triggers: { "ticket-created": true },
      },
    });

    const created = await call("POST", "/tickets", validTicket());
    await fake.flushOutgoing();

    expect(created.status).toBe(201);
    expect(fake.state.outgoing).toHaveLength(1);
    expect(fake.state.outgoing[0]).toMatchObject({
      outcome: "refused",
      status: null,
      url: "https://hooks.example.com/gorgias",
    });
    expect(fake.state.outgoing[0]!.error).toContain("hooks.example.com");
  });

  it("records a receiver that cannot be reached as failed", async () => {
    const receiver = await startReceiver();
    const deadUrl = receiver.url;
    await receiver.close();
    await call("POST", "/integrations", {
      name: "Dead",
      type: "http",
      http: { url: `${deadUrl}/gone`, method: "POST", form, triggers: { "ticket-created": true } },
    });
    await call("POST", "/tickets", validTicket());
    await fake.flushOutgoing();
    expect(fake.state.outgoing[0]).toMatchObject({ outcome: "failed", status: null });
    expect(fake.state.outgoing[0]!.error).toEqual(expect.any(String));
  });

  it("records a receiver that does not answer in time as failed", async () => {
    fake = await start({ integrationTimeoutMs: 100 });
    const hanging = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    started.push({
      close: () =>
        new Promise<void>((resolve) => {
          hanging.closeAllConnections();
          hanging.close(() => resolve());
        }),
    });
    const port = (hanging.address() as AddressInfo).port;
    await call("POST", "/integrations", {
      name: "Slow",
      type: "http",
      http: {
        url: `http://127.0.0.1:${port}/slow`,
        method: "POST",
        form,
        triggers: { "ticket-created": true },
      },
    });

    await call("POST", "/tickets", validTicket());
    await fake.flushOutgoing();

    expect(fake.state.outgoing[0]).toMatchObject({ outcome: "failed", status: null });
    expect(fake.state.outgoing[0]!.error).toContain("timed out");
  });

  it("validates integrations like Gorgias", async () => {
    const invalid = await call("POST", "/integrations", {
      name: "Broken",
      type: "http",
      http: { url: "not a url", method: "FETCH", triggers: { "ticket-deleted": true } },
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.data.http).sort()).toEqual(["method", "triggers", "url"]);
    const noName = await call("POST", "/integrations", {
      type: "http",
      http: { url: "http://127.0.0.1/x", method: "POST", triggers: {} },
    });
    expect(noName.body.error.data).toHaveProperty("name");

    const ok = await call("POST", "/integrations", {
      name: "Fine",
      type: "http",
      http: { url: "http://127.0.0.1:9/x", method: "post", triggers: { "ticket-created": true } },
    });
    expect(ok.status).toBe(201);
    expect((await call("GET", "/integrations")).body.data).toHaveLength(1);
    expect((await call("DELETE", `/integrations/${ok.body.id}`)).status).toBe(204);
    expect(fake.state.integrations).toHaveLength(0);
  });
});

describe("Gorgias fake: faults, recording and reset", () => {
  it("injects faults through the common knobs", async () => {
    fake = await start();
    fake.setFaults({ burst429: 1, retryAfterSeconds: 7 });
    const limited = await call("GET", "/tickets");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await call("GET", "/tickets")).status).toBe(200);

    fake.setFaults({ errorRate: 1 });
    const failed = await call("POST", "/tickets", validTicket());
    expect([500, 502, 503]).toContain(failed.status);
    expect(fake.state.tickets).toHaveLength(0);

    fake.setFaults({ errorRate: 0, latencyMs: 150 });
    const startedAt = performance.now();
    expect((await call("GET", "/tickets")).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  it("redacts the Authorization header in received requests", async () => {
    fake = await start();
    await call("POST", "/tickets", validTicket());

    expect(fake.received).toHaveLength(1);
    const [recorded] = fake.received;
    expect(recorded).toMatchObject({ method: "POST", path: "/api/tickets", status: 201 });
    expect(recorded!.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(fake.received)).not.toContain(
      Buffer.from(GORGIAS_DEFAULT_ACCOUNT.apiKey).toString("base64").slice(0, 12),
    );
  });

  it("reset() empties state, recordings and rate-limit buckets", async () => {
    fake = await start({ rateLimit: { limit: 3 } });
    fake.openTicket({ customer: { email: "a@example.com" }, tags: ["x"] });
    for (let i = 0; i < 3; i++) await call("GET", "/tickets");
    expect((await call("GET", "/tickets")).status).toBe(429);

    fake.reset();

    expect(fake.state.tickets).toEqual([]);
    expect(fake.state.customers).toEqual([]);
    expect(fake.state.tags).toEqual([]);
    expect(fake.received).toEqual([]);
    expect((await call("GET", "/tickets")).status).toBe(200);
  });

  it("rejects unknown routes and methods with Gorgias-style errors", async () => {
    fake = await start();
    expect((await call("GET", "/nothing-here")).status).toBe(404);
    expect((await call("GET", "/tickets/123")).body.error.msg).toContain("not found");
    expect((await call("DELETE", "/tags")).status).toBe(405);
  });
});

describe("Gorgias fake: deleting customers and tickets", () => {
  beforeEach(async () => {
    fake = await start();
  });

  it("deletes a ticket (204, tag usage updated) and a customer (204), then answers 404 for both", async () => {
    const ticket = fake.openTicket({ customer: { email: "jane@example.com" }, tags: ["vip"] });
    const kept = fake.openTicket({ customer: { email: "other@example.com" } });
    expect((await call("DELETE", `/tickets/${ticket.id}`)).status).toBe(204);
    expect((await call("GET", `/tickets/${ticket.id}`)).status).toBe(404);
    expect((await call("DELETE", `/tickets/${ticket.id}`)).status).toBe(404);
    expect(fake.state.tags.find((t) => t.name === "vip")!.usage).toBe(0);

    expect((await call("DELETE", `/customers/${ticket.customer.id}`)).status).toBe(204);
    expect((await call("GET", `/customers/${ticket.customer.id}`)).status).toBe(404);
    expect((await call("DELETE", `/customers/${ticket.customer.id}`)).status).toBe(404);
    expect((await call("GET", "/customers?email=jane@example.com")).body.data).toEqual([]);
    expect(fake.state.tickets.map((t) => t.id)).toEqual([kept.id]);
  });
});
