import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { GORGIAS_SECRET_HEADER } from "../../integrations/connections.server";
import { getIntegration, gorgiasCredentials } from "../../models/integrations.server";
import { action as gorgiasWebhook } from "../../routes/integrations.gorgias.webhook";
import { orderPayload } from "../../../tests/fixtures/shopify-payloads";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { ticketCall } from "./fixtures/gorgias-ticket";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

describeWithRuntime("open-ticket-suppression", ({ runtime }) => {
  const kit = recipeKit(runtime);
  let secret = "";
  /** Gorgias calling our endpoint, as its HTTP integration does. */
  const gorgiasSays = async (body: ReturnType<typeof ticketCall>) => {
    const url = new URL("/integrations/gorgias/webhook", "https://switchboard.example");
    url.searchParams.set("shop", kit.shop);
    const response = await gorgiasWebhook({
      request: new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json", [GORGIAS_SECRET_HEADER]: secret },
        body: JSON.stringify(body),
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
  };
  const runOf = (ticketId: number, status: string) =>
    kit.waitRun(RECIPE_ID, (r) => r.eventKey.startsWith(`ticket/${ticketId}/${status}/`));

  beforeAll(async () => {
    await kit.connect();
    secret = gorgiasCredentials(
      (await getIntegration(kit.db(), kit.shop, "gorgias"))!,
    ).webhookSecret;
    await kit.enable(RECIPE_ID);
    await kit.send("orders/create", orderPayload());
  });

  it("marks the customer in Klaviyo while a ticket is open, and only unmarks when the last one closes", async () => {
    const { klaviyo } = fakes();
    const onList = () => {
      const list = [...klaviyo.state.lists.values()].find((l) => l.name === "Open support ticket");
      return list
        ? klaviyo.listMemberIds(list.id).map((id) => klaviyo.state.profiles.get(id)!.email)
        : [];
    };
    await gorgiasSays(ticketCall(5001, "open", "Jane.Doe@example.com", "2026-11-21T10:00:00Z"));
    const opened = await runOf(5001, "open");
    expect(opened).toMatchObject({
      outcome: "acted",
      trigger: "gorgias/ticket-opened",
      customerId: "7001002003",
      subject: "Customer 7001002003",
    });
    await kit.settled(opened.actions.map((a) => a.key!));
    expect(onList()).toEqual(["jane.doe@example.com"]);
    expect(klaviyo.findProfile({ email: "jane.doe@example.com" })!.properties).toMatchObject({
      switchboard_open_ticket: true,
    });

    // A second ticket; the first closes: still one open, so nothing changes.
    await gorgiasSays(ticketCall(5002, "open", "jane.doe@example.com", "2026-11-21T11:00:00Z"));
    await runOf(5002, "open");
    await gorgiasSays(ticketCall(5001, "closed", "jane.doe@example.com", "2026-11-21T12:00:00Z"));
    const firstClosed = await runOf(5001, "closed");
    expect(firstClosed).toMatchObject({
      outcome: "skipped",
      reasons: ["ticket 5001 closed, but another of their tickets is still open"],
    });

    await gorgiasSays(ticketCall(5002, "closed", "jane.doe@example.com", "2026-11-21T13:00:00Z"));
    const lastClosed = await runOf(5002, "closed");
    expect(lastClosed.actions.map((a) => a.kind)).toEqual([
      "klaviyo-list-remove",
      "klaviyo-profile",
    ]);
    await kit.settled(lastClosed.actions.map((a) => a.key!));
    expect(onList()).toEqual([]);
    expect(klaviyo.findProfile({ email: "jane.doe@example.com" })!.properties).toMatchObject({
      switchboard_open_ticket: false,
    });
  });

  it("ignores a late, older ticket update (nothing handed to the recipe)", async () => {
    const before = (await kit.runs(RECIPE_ID)).length;
    await gorgiasSays(ticketCall(5002, "open", "jane.doe@example.com", "2026-11-21T10:30:00Z"));
    await new Promise((r) => setTimeout(r, 300));
    expect((await kit.runs(RECIPE_ID)).length).toBe(before);
  });
});
