import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { orderOn } from "./fixtures/orders-create";
import { runReconciliation } from "../../jobs/tasks/reconcile-segments.server";
import { RECIPE_ID } from "./recipe";

void realFetch;
const fakes = withVendorFakes();

const ANNA = { id: 7_100_000_001, email: "anna.lapsed@example.com" };
const BEN = { id: 7_100_000_002, email: "ben.lapsed@example.com" };
const CARA = { id: 7_100_000_003, email: "cara.recent@example.com" };

describeWithRuntime("win-back-segments", ({ runtime }) => {
  const kit = recipeKit(runtime);

  beforeAll(async () => {
    await kit.connect(["klaviyo"]);
    await kit.enable(RECIPE_ID, {});
    await kit.send("orders/create", orderOn(ANNA.id, ANNA.email, "2026-07-01", 6_100_000_001));
    await kit.send("orders/create", orderOn(BEN.id, BEN.email, "2026-08-20", 6_100_000_002));
    await kit.send("orders/create", orderOn(CARA.id, CARA.email, "2026-11-01", 6_100_000_003));
  });

  it("keeps lapsed customers in stage lists by reconciliation, moves them on, and takes them out when they order again", async () => {
    const { klaviyo } = fakes();
    const members = (name: string) => {
      const list = [...klaviyo.state.lists.values()].find((l) => l.name === name);
      return list
        ? klaviyo.listMemberIds(list.id).map((id) => klaviyo.state.profiles.get(id)!.email)
        : [];
    };
    // The day's reconciliation, as its job runs it, at a chosen moment.
    const reconcileAt = (at: string) =>
      runReconciliation(
        { shop: kit.shop, recipe: RECIPE_ID, trigger: `daily/${at.slice(0, 10)}` },
        {
          database: runtime().database,
          clock: { now: () => new Date(at) },
          attempt: 1,
          signal: new AbortController().signal,
        },
        { pollIntervalMs: 5 },
      );

    // 22 Nov: Anna is 144 days out (120 stage), Ben 94 (90 stage), Cara 21 (nothing).
    const first = await reconcileAt("2026-11-22T14:00:00Z");
    expect(first).toMatchObject({
      status: "reconciled",
      lists: [
        { list: "Win-back 60 days", added: 0, removed: 0 },
        { list: "Win-back 90 days", added: 1, removed: 0 },
        { list: "Win-back 120 days", added: 1, removed: 0 },
      ],
    });
    expect(members("Win-back 120 days")).toEqual([ANNA.email]);
    expect(members("Win-back 90 days")).toEqual([BEN.email]);
    expect(klaviyo.findProfile({ email: BEN.email })!.properties).toMatchObject({
      switchboard_win_back_stage: 90,
    });

    // 20 Dec: Ben passes 120 days: off the 90 list, onto the 120 list (Cara, 49 days: nowhere).
    const later = await reconcileAt("2026-12-20T14:00:00Z");
    expect(later).toMatchObject({
      lists: [
        { list: "Win-back 60 days", added: 0, removed: 0 },
        { list: "Win-back 90 days", added: 0, removed: 1 },
        { list: "Win-back 120 days", added: 1, removed: 0, unchanged: 1 },
      ],
    });
    expect(members("Win-back 60 days")).toEqual([]);
    expect(members("Win-back 90 days")).toEqual([]);
    expect(members("Win-back 120 days").sort()).toEqual([ANNA.email, BEN.email]);

    // Anna orders again: she leaves her list at once, without waiting for the next reconciliation.
    const back = await kit.send(
      "orders/create",
      orderOn(ANNA.id, ANNA.email, "2026-12-21", 6_100_000_004),
    );
    const leaving = await kit.runFor(RECIPE_ID, back.id);
    expect(leaving.actions.map((a) => [a.kind, a.summary])).toEqual([
      [
        "klaviyo-list-remove",
        `Remove customer ${ANNA.id} from “Win-back 120 days” (ordered again)`,
      ],
    ]);
    await kit.settled(leaving.actions.map((a) => a.key!));
    expect(members("Win-back 120 days")).toEqual([BEN.email]);
  });

  it("stays quiet for a customer's order when they were in no list", async () => {
    const event = await kit.send(
      "orders/create",
      orderOn(CARA.id, CARA.email, "2026-11-21", 6_100_000_005),
    );
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run).toMatchObject({
      outcome: "skipped",
      reasons: ["the customer is not in a win-back list"],
    });
  });
});
