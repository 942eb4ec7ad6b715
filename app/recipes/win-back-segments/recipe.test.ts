import { realFetch } from "../../../tests/helpers/real-fetch";
import "../../../tests/helpers/shopify";
import { beforeAll, expect, it } from "vitest";
import { recipeKit } from "../../../tests/helpers/recipes";
import { describeWithRuntime } from "../../../tests/helpers/runtime";
import { withVendorFakes } from "../../../tests/helpers/vendors";
import { orderOn } from "./fixtures/orders-create";
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

  it("moves lapsed customers into stage lists each day, moves them on, and takes them out when they order again", async () => {
    const { klaviyo } = fakes();
    const members = (name: string) => {
      const list = [...klaviyo.state.lists.values()].find((l) => l.name === name);
      return list ? klaviyo.listMemberIds(list.id).map((id) => klaviyo.state.profiles.get(id)!.email) : [];
    };

    // 22 Nov: Anna is 144 days out (120 stage), Ben 94 (90 stage), Cara 21 (nothing).
    const first = await kit.runAt({ type: "daily", date: "2026-11-22" }, new Date("2026-11-22T14:00:00Z"));
    const moved = first.evaluations.map((e) => [e.result.subject?.customerId, e.outcome, e.actions.map((a) => a.action.summary)]);
    expect(moved).toEqual([
      [ANNA.id, "acted", [`Add customer ${ANNA.id} to “Win-back 120 days”`]],
      [BEN.id, "acted", [`Add customer ${BEN.id} to “Win-back 90 days”`]],
    ]);
    await kit.settled(first.evaluations.flatMap((e) => e.actions.map((a) => a.key)));
    expect(members("Win-back 120 days")).toEqual([ANNA.email]);
    expect(members("Win-back 90 days")).toEqual([BEN.email]);
    // Each move is its own run, filed under the customer.
    const runs = await kit.runs(RECIPE_ID);
    expect(runs.filter((r) => r.trigger === "daily-scan").map((r) => r.customerId)).toEqual([ANNA.id, BEN.id]);

    // The same day again: nobody crossed a line.
    const again = await kit.runAt({ type: "daily", date: "2026-11-22" }, new Date("2026-11-22T15:00:00Z"));
    expect(again.evaluations.map((e) => e.reasons)).toEqual([["nobody crossed 60 / 90 / 120 days since the last scan"]]);

    // 20 Dec: Ben passes 120 days: off the 90 list, onto the 120 list.
    const later = await kit.runAt({ type: "daily", date: "2026-12-20" }, new Date("2026-12-20T14:00:00Z"));
    expect(later.evaluations.map((e) => e.actions.map((a) => a.action.summary))).toEqual([[`Remove customer ${BEN.id} from “Win-back 90 days”`, `Add customer ${BEN.id} to “Win-back 120 days”`]]);
    await kit.settled(later.evaluations.flatMap((e) => e.actions.map((a) => a.key)));
    expect(members("Win-back 90 days")).toEqual([]);
    expect(members("Win-back 120 days").sort()).toEqual([ANNA.email, BEN.email]);

    // Anna orders again: she leaves her list at once.
    const back = await kit.send("orders/create", orderOn(ANNA.id, ANNA.email, "2026-12-21", 6_100_000_004));
    const leaving = await kit.runFor(RECIPE_ID, back.id);
    expect(leaving.actions.map((a) => [a.kind, a.summary])).toEqual([["klaviyo-list-remove", `Remove customer ${ANNA.id} from “Win-back 120 days” (ordered again)`]]);
    await kit.settled(leaving.actions.map((a) => a.key!));
    expect(members("Win-back 120 days")).toEqual([BEN.email]);
  });

  it("stays quiet for a customer's order when they were in no list", async () => {
    const event = await kit.send("orders/create", orderOn(CARA.id, CARA.email, "2026-11-21", 6_100_000_005));
    const run = await kit.runFor(RECIPE_ID, event.id);
    expect(run).toMatchObject({ outcome: "skipped", reasons: ["the customer is not in a win-back list"] });
  });
});
