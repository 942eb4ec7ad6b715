import { and, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { gorgiasTickets } from "../../db/schema/index";
import { setVendorEndpoints } from "../../app/integrations/config.server";
import { connectGorgias } from "../../app/integrations/connections.server";
import { recordTicketState, hasOpenTicket } from "../../app/models/gorgias-tickets.server";
import { getTicketImport } from "../../app/models/gorgias-ticket-imports.server";
import { realFetch } from "../helpers/real-fetch";
import { recipeKit } from "../helpers/recipes";
import { describeWithRuntime } from "../helpers/runtime";
import { GORGIAS_DOMAIN, GORGIAS_USERS, SHOP_A, withVendorFakes } from "../helpers/vendors";
import { waitFor } from "../helpers/webhooks";

const fakes = withVendorFakes();
const USER = GORGIAS_USERS[SHOP_A]!;
const CREDENTIALS = { domain: GORGIAS_DOMAIN, email: USER.email, apiKey: USER.apiKey };

/** Tickets already in the helpdesk before the shop connects: `open` open ones, `closed` closed. */
function seedHelpdesk(open: number, closed: number) {
  const { gorgias } = fakes();
  const opened = [];
  for (let i = 0; i < open + closed; i++) {
    const ticket = gorgias.openTicket({
      customer: { email: `Shopper${i}@Example.com` },
      subject: `Question ${i}`,
    });
    if (i >= open) gorgias.closeTicket(ticket.id);
    else opened.push(ticket);
  }
  return opened;
}

const ticketListCalls = () =>
  fakes().gorgias.received.filter(
    (r) => r.method === "GET" && r.path.replace(/\/+$/, "") === "/api/tickets",
  );

describeWithRuntime("Open Gorgias tickets imported at connect", ({ runtime }) => {
  const db = () => runtime().database.db;
  const imported = () =>
    waitFor(
      async () => {
        const row = await getTicketImport(db(), SHOP_A);
        return row && row.status !== "running" ? row : undefined;
      },
      { timeoutMs: 30_000 },
    );
  // The fake starts empty for each test (and may reuse ticket ids): so does the shop's state.
  beforeEach(async () => {
    await db().delete(gorgiasTickets).where(eq(gorgiasTickets.shop, SHOP_A));
  });

  it("imports every open ticket across several pages, and no closed one", async () => {
    const opened = seedHelpdesk(230, 40);
    expect(await connectGorgias(db(), runtime().queue, SHOP_A, CREDENTIALS)).toMatchObject({
      ok: true,
    });
    const done = await imported();
    expect(done).toMatchObject({ status: "done", openTickets: 230, pages: 3, lastError: null });
    expect(ticketListCalls()).toHaveLength(3);
    const rows = await db().select().from(gorgiasTickets).where(eq(gorgiasTickets.shop, SHOP_A));
    expect(rows).toHaveLength(230);
    expect(rows.every((r) => r.status === "open")).toBe(true);
    // Each dated from when the customer wrote in; nobody has answered or closed them.
    const createdOf = new Map(opened.map((t) => [t.id, new Date(t.created_datetime)]));
    expect(
      rows.every((r) => r.sourceCreatedAt?.getTime() === createdOf.get(r.ticketId)?.getTime()),
    ).toBe(true);
    expect(rows.every((r) => r.firstAgentResponseAt === null && r.closedAt === null)).toBe(true);
    expect(await hasOpenTicket(db(), SHOP_A, "shopper0@example.com")).toBe(true);
    expect(await hasOpenTicket(db(), SHOP_A, "shopper250@example.com")).toBe(false);
  });

  it("never overwrites a newer state that a Gorgias call brought in meanwhile", async () => {
    const [ticket] = seedHelpdesk(1, 0);
    // The agent closed it; the call reached us before the import read the (older) listing.
    const later = new Date(Date.parse(ticket!.updated_datetime) + 60_000);
    await recordTicketState(db(), SHOP_A, {
      ticketId: ticket!.id,
      email: "shopper0@example.com",
      status: "closed",
      updatedAt: later,
    });
    expect(await connectGorgias(db(), runtime().queue, SHOP_A, CREDENTIALS)).toMatchObject({
      ok: true,
    });
    expect(await imported()).toMatchObject({ status: "done", openTickets: 1 });
    const [row] = await db()
      .select()
      .from(gorgiasTickets)
      .where(and(eq(gorgiasTickets.shop, SHOP_A), eq(gorgiasTickets.ticketId, ticket!.id)));
    expect(row).toMatchObject({ status: "closed", sourceUpdatedAt: later });
    expect(await hasOpenTicket(db(), SHOP_A, "shopper0@example.com")).toBe(false);
  });

  it("dates the closing of a ticket it knew open and finds closed, keeping its first reply", async () => {
    const { gorgias } = fakes();
    const [ticket] = seedHelpdesk(1, 0);
    const reply = new Date(Date.parse(ticket!.created_datetime) + 3_600_000);
    // Known open, answered, from an earlier call; closed in the helpdesk since.
    await recordTicketState(db(), SHOP_A, {
      ticketId: ticket!.id,
      email: "shopper0@example.com",
      status: "open",
      updatedAt: new Date(ticket!.updated_datetime),
      times: { createdAt: null, agentReplyAt: reply, closedAt: null },
    });
    const closed = gorgias.closeTicket(ticket!.id);
    expect(await connectGorgias(db(), runtime().queue, SHOP_A, CREDENTIALS)).toMatchObject({
      ok: true,
    });
    expect(await imported()).toMatchObject({ status: "done" });
    const [row] = await db()
      .select()
      .from(gorgiasTickets)
      .where(and(eq(gorgiasTickets.shop, SHOP_A), eq(gorgiasTickets.ticketId, ticket!.id)));
    expect(row).toMatchObject({
      status: "closed",
      sourceCreatedAt: new Date(ticket!.created_datetime),
      firstAgentResponseAt: reply,
      closedAt: new Date(closed.closed_datetime!),
    });
  });

  it("resumes at the saved page after an outage mid-import", async () => {
    seedHelpdesk(250, 0);
    // Gorgias answers 503 to the second and third page requests, then recovers.
    let listCalls = 0;
    const outage: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith("/api/tickets") && (init?.method ?? "GET") === "GET") {
        listCalls++;
        if (listCalls === 2 || listCalls === 3) {
          return new Response(JSON.stringify({ error: { msg: "Service unavailable." } }), {
            status: 503,
            headers: { "content-type": "application/json" },
          });
        }
      }
      return realFetch(input, init);
    };
    const endpoints = {
      klaviyoBaseUrl: fakes().klaviyo.url,
      gorgiasBaseUrl: fakes().gorgias.apiUrl,
      timeoutMs: 1_000,
    };
    setVendorEndpoints({ ...endpoints, fetch: outage });
    try {
      expect(await connectGorgias(db(), runtime().queue, SHOP_A, CREDENTIALS)).toMatchObject({
        ok: true,
      });
      expect(await imported()).toMatchObject({
        status: "done",
        openTickets: 250,
        pages: 3,
        lastError: null,
      });
    } finally {
      setVendorEndpoints({ ...endpoints, fetch: realFetch });
    }
    // Five requests: page 1, two refused, then pages 2 and 3; page 1 was not read again.
    expect(listCalls).toBe(5);
    const firstPages = ticketListCalls().filter((r) => !("cursor" in r.query));
    expect(firstPages).toHaveLength(1);
    expect(
      (await db().select().from(gorgiasTickets).where(eq(gorgiasTickets.shop, SHOP_A))).length,
    ).toBe(250);
  });

  it("a recipe sees a ticket that was open before the shop connected", async () => {
    const kit = recipeKit(runtime);
    await kit.enable("open-ticket-suppression");
    seedHelpdesk(1, 0);
    await kit.connect(["klaviyo", "gorgias"]);
    expect(await imported()).toMatchObject({ status: "done", openTickets: 1 });
    const run = await kit.waitRun("open-ticket-suppression", () => true);
    expect(run).toMatchObject({ outcome: "acted" });
    const [delivery] = await kit.settled(
      (await kit.deliveries("open-ticket-suppression")).map((d) => d.idempotencyKey),
    );
    expect(delivery).toMatchObject({ status: "succeeded" });
    expect(delivery!.idempotencyKey).toContain("klaviyo-list-add");
  });
});
