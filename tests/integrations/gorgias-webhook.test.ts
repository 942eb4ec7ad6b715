import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gorgiasTickets, integrations } from "../../db/schema/index";
import {
  connectGorgias,
  disconnect,
  GORGIAS_SECRET_HEADER,
} from "../../app/integrations/connections.server";
import { getIntegration, gorgiasCredentials } from "../../app/models/integrations.server";
import { hasOpenTicket } from "../../app/models/gorgias-tickets.server";
import { action } from "../../app/routes/integrations.gorgias.webhook";
import { getRuntime } from "../../app/runtime.server";
import { describeEachDatabase } from "../helpers/database";
import { GORGIAS_DOMAIN, GORGIAS_USERS, SHOP_A, SHOP_B, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();

/** A loopback server in front of the route's action, so the Gorgias fake can call it over HTTP. */
let server: Server;
let appUrl: string;
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(new URL(req.url ?? "/", appUrl), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        typeof v === "string" ? [[k, v] as [string, string]] : [],
      ),
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response = await action({ request, params: {}, context: {} });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = (shop: string | null, token: string | null, body: unknown) => {
  const url = new URL("/integrations/gorgias/webhook", "https://switchboard.example");
  if (shop) url.searchParams.set("shop", shop);
  return action({
    request: new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { [GORGIAS_SECRET_HEADER]: token } : {}),
      },
      body: JSON.stringify(body),
    }),
    params: {},
    context: {},
  });
};

const ticketBody = (id: number, status: string, email: string, updated: string) => ({
  ticket_id: String(id),
  status,
  customer_email: email,
  updated_datetime: updated,
  spam: "False",
  trashed_datetime: "None",
});

describeEachDatabase("Gorgias → Switchboard endpoint", ({ use: testDatabase }) => {
  const db = () => testDatabase().database.db;
  let secret: string;

  beforeAll(async () => {
    const user = GORGIAS_USERS[SHOP_A]!;
    const connected = await connectGorgias(
      db(),
      (await getRuntime()).queue,
      SHOP_A,
      { domain: GORGIAS_DOMAIN, email: user.email, apiKey: user.apiKey },
      { appUrl },
    );
    expect(connected).toMatchObject({ ok: true, value: { webhookRegistered: true } });
    secret = gorgiasCredentials((await getIntegration(db(), SHOP_A, "gorgias"))!).webhookSecret;
  });

  it("refuses a call without the shop's secret (401) and stores nothing", async () => {
    const body = ticketBody(1, "open", "jane.doe@example.com", "2026-11-22T10:00:00Z");
    expect((await call(SHOP_A, null, body)).status).toBe(401);
    expect((await call(SHOP_A, "wrong-secret", body)).status).toBe(401);
    expect((await call(SHOP_A, secret.slice(0, -1), body)).status).toBe(401);
    expect((await call(null, secret, body)).status).toBe(401);
    // Shop A's secret does not open shop B's door.
    expect((await call(SHOP_B, secret, body)).status).toBe(401);
    expect(await db().select().from(gorgiasTickets)).toEqual([]);
  });

  it("keeps each customer's open-ticket state from created and updated calls, ignoring older ones", async () => {
    expect(
      (
        await call(
          SHOP_A,
          secret,
          ticketBody(11, "open", "Jane.Doe@example.com", "2026-11-22T10:00:00Z"),
        )
      ).status,
    ).toBe(200);
    expect(await hasOpenTicket(db(), SHOP_A, "jane.doe@example.com")).toBe(true);
    expect(await hasOpenTicket(db(), SHOP_B, "jane.doe@example.com")).toBe(false);
    expect(
      (
        await call(
          SHOP_A,
          secret,
          ticketBody(11, "closed", "jane.doe@example.com", "2026-11-22T11:00:00Z"),
        )
      ).status,
    ).toBe(200);
    expect(await hasOpenTicket(db(), SHOP_A, "jane.doe@example.com")).toBe(false);
    // A late "open" for an older version does not reopen it.
    expect(
      (
        await call(
          SHOP_A,
          secret,
          ticketBody(11, "open", "jane.doe@example.com", "2026-11-22T10:30:00Z"),
        )
      ).status,
    ).toBe(200);
    expect(await hasOpenTicket(db(), SHOP_A, "jane.doe@example.com")).toBe(false);
    // Spam counts as not open.
    expect(
      (
        await call(SHOP_A, secret, {
          ...ticketBody(12, "open", "sam@example.com", "2026-11-22T12:00:00Z"),
          spam: "True",
        })
      ).status,
    ).toBe(200);
    expect(await hasOpenTicket(db(), SHOP_A, "sam@example.com")).toBe(false);
  });

  it("answers 400 to a malformed body, storing nothing", async () => {
    const response = await call(SHOP_A, secret, {
      ticket_id: "abc",
      status: "open",
      customer_email: "x@example.com",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining("ticket_id") });
    // Twenty digits fit no ticket id (nor a bigint): 400, not a database error.
    const oversized = await call(SHOP_A, secret, {
      ...ticketBody(1, "open", "x@example.com", "2026-11-22T10:00:00Z"),
      ticket_id: "12345678901234567890",
    });
    expect(oversized.status).toBe(400);
    expect(await oversized.json()).toEqual({ error: expect.stringContaining("ticket_id") });
    expect(
      await db()
        .select()
        .from(gorgiasTickets)
        .where(eq(gorgiasTickets.customerEmail, "x@example.com")),
    ).toEqual([]);
  });

  it("receives real calls from the helpdesk for tickets opened and closed there", async () => {
    const { gorgias } = fakes();
    // The fake forgot our registration (it resets per test): connect again, which is idempotent.
    const user = GORGIAS_USERS[SHOP_A]!;
    await connectGorgias(
      db(),
      (await getRuntime()).queue,
      SHOP_A,
      { domain: GORGIAS_DOMAIN, email: user.email, apiKey: user.apiKey },
      { appUrl },
    );
    await connectGorgias(
      db(),
      (await getRuntime()).queue,
      SHOP_A,
      { domain: GORGIAS_DOMAIN, email: user.email, apiKey: user.apiKey },
      { appUrl },
    );
    expect(gorgias.state.integrations).toHaveLength(1);
    expect(gorgias.state.integrations[0]!.http.url).toBe(
      `${appUrl}/integrations/gorgias/webhook?shop=${encodeURIComponent(SHOP_A)}`,
    );

    const opened = gorgias.openTicket({
      customer: { email: "kim@example.com" },
      subject: "Where is my parcel?",
    });
    await gorgias.flushOutgoing();
    await waitFor(() => hasOpenTicket(db(), SHOP_A, "kim@example.com"));
    gorgias.closeTicket(opened.id);
    await gorgias.flushOutgoing();
    expect(await hasOpenTicket(db(), SHOP_A, "kim@example.com")).toBe(false);
    expect(gorgias.state.outgoing.map((c) => [c.trigger, c.outcome, c.status])).toEqual([
      ["ticket-created", "delivered", 200],
      ["ticket-updated", "delivered", 200],
    ]);
    const [row] = await db()
      .select()
      .from(gorgiasTickets)
      .where(eq(gorgiasTickets.ticketId, opened.id));
    expect(row).toMatchObject({ shop: SHOP_A, customerEmail: "kim@example.com", status: "closed" });
  });

  it("dates each ticket from the helpdesk's calls: written in, first agent reply, closed, reopened", async () => {
    const { gorgias } = fakes();
    const user = GORGIAS_USERS[SHOP_A]!;
    await connectGorgias(
      db(),
      (await getRuntime()).queue,
      SHOP_A,
      { domain: GORGIAS_DOMAIN, email: user.email, apiKey: user.apiKey },
      { appUrl },
    );
    const rowOf = async (ticketId: number) =>
      (
        await db()
          .select()
          .from(gorgiasTickets)
          .where(and(eq(gorgiasTickets.shop, SHOP_A), eq(gorgiasTickets.ticketId, ticketId)))
      )[0]!;
    const at = (value: string | null) => (value === null ? null : new Date(value));

    const opened = gorgias.openTicket({
      customer: { email: "noor@example.com" },
      subject: "Wrong size",
    });
    await gorgias.flushOutgoing();
    expect(await rowOf(opened.id)).toMatchObject({
      sourceCreatedAt: at(opened.created_datetime),
      firstAgentResponseAt: null,
      closedAt: null,
    });
    // An internal note answers nobody; the agent's reply is the first response, a second one
    // does not move it.
    gorgias.addMessage(opened.id, { from: "note", text: "Check the warehouse" });
    await gorgias.flushOutgoing();
    expect((await rowOf(opened.id)).firstAgentResponseAt).toBeNull();
    const reply = gorgias.addMessage(opened.id, { from: "agent", text: "Sending a new one" });
    await gorgias.flushOutgoing();
    gorgias.addMessage(opened.id, { from: "customer", text: "Thanks!" });
    gorgias.addMessage(opened.id, { from: "agent", text: "You're welcome" });
    await gorgias.flushOutgoing();
    expect((await rowOf(opened.id)).firstAgentResponseAt).toEqual(at(reply.created_datetime));

    const closed = gorgias.closeTicket(opened.id);
    await gorgias.flushOutgoing();
    expect(await rowOf(opened.id)).toMatchObject({
      status: "closed",
      closedAt: at(closed.closed_datetime),
      firstAgentResponseAt: at(reply.created_datetime),
      sourceCreatedAt: at(opened.created_datetime),
    });
    // The customer writes again: reopened, no longer resolved.
    gorgias.addMessage(opened.id, { from: "customer", text: "It broke again" });
    await gorgias.flushOutgoing();
    expect(await rowOf(opened.id)).toMatchObject({ status: "open", closedAt: null });
    expect(gorgias.state.outgoing.every((c) => c.status === 200)).toBe(true);
  });

  it("keeps the earliest agent reply when calls arrive out of order", async () => {
    const now = Date.now();
    const iso = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
    // ticket-message-created calls for agent replies, as the registered form renders them.
    const timed = (updatedHoursAgo: number, replyHoursAgo: number, status = "open") => ({
      ...ticketBody(21, status, "ola@example.com", iso(updatedHoursAgo)),
      created_datetime: iso(10),
      closed_datetime: status === "closed" ? iso(updatedHoursAgo) : "None",
      from_agent: "False",
      message_from_agent: "True",
      message_channel: "email",
      message_created_datetime: iso(replyHoursAgo),
    });
    // The newer call (a later reply, the ticket closed) lands first; the older one with the
    // first reply after it.
    expect((await call(SHOP_A, secret, timed(1, 2, "closed"))).status).toBe(200);
    expect((await call(SHOP_A, secret, timed(8, 8))).status).toBe(200);
    const [row] = await db()
      .select()
      .from(gorgiasTickets)
      .where(and(eq(gorgiasTickets.shop, SHOP_A), eq(gorgiasTickets.ticketId, 21)));
    expect(row).toMatchObject({
      status: "closed",
      sourceCreatedAt: new Date(iso(10)),
      firstAgentResponseAt: new Date(iso(8)),
      closedAt: new Date(iso(1)),
    });
    // A ticket the helpdesk started has no first response to wait for.
    await call(SHOP_A, secret, {
      ...timed(1, 1),
      ticket_id: "22",
      from_agent: "True",
    });
    const [outbound] = await db()
      .select()
      .from(gorgiasTickets)
      .where(and(eq(gorgiasTickets.shop, SHOP_A), eq(gorgiasTickets.ticketId, 22)));
    expect(outbound).toMatchObject({ firstAgentResponseAt: null, status: "open" });
  });

  it("disconnecting removes the HTTP integration from the helpdesk, then calls are refused", async () => {
    const { gorgias } = fakes();
    const user = GORGIAS_USERS[SHOP_A]!;
    await connectGorgias(
      db(),
      (await getRuntime()).queue,
      SHOP_A,
      { domain: GORGIAS_DOMAIN, email: user.email, apiKey: user.apiKey },
      { appUrl },
    );
    expect(await disconnect(db(), SHOP_A, "gorgias")).toEqual({ removedWebhook: true });
    expect(gorgias.state.integrations).toEqual([]);
    expect(await db().select().from(integrations).where(eq(integrations.shop, SHOP_A))).toEqual([]);
    expect(
      (
        await call(
          SHOP_A,
          secret,
          ticketBody(13, "open", "lee@example.com", "2026-11-22T12:00:00Z"),
        )
      ).status,
    ).toBe(401);
  });
});
