import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { expect, it } from "vitest";
import { StoreDaySimulator } from "../../sandbox/simulator";
import { createSandboxStore } from "../../sandbox/store/generate";
import { describeWithRuntime } from "../helpers/runtime";
import { settledEvent } from "../helpers/webhooks";

describeWithRuntime("practising a malformed webhook in the sandbox", ({ runtime }) => {
  it("reaches the app signed, is answered 200 and kept with the reason, not retried", async () => {
    const store = createSandboxStore({ seed: 9, baseDate: runtime().clock.now().toISOString() });
    const statuses: number[] = [];
    const simulator = new StoreDaySimulator({
      store,
      seed: 9,
      apiSecret: API_SECRET_KEY,
      duplicateRate: 0,
      transport: async (delivery, headers) => {
        const route = await import("../../app/routes/webhooks.orders.create");
        const request = new Request(`https://app.test/webhooks/${delivery.topic}`, {
          method: "POST",
          headers,
          body: delivery.body,
        });
        const response: Response = await route.action({ request, params: {}, context: {} });
        statuses.push(response.status);
        return response.status;
      },
    });
    const webhookId = await simulator.sendMalformedOrder();
    expect(statuses).toEqual([200]);
    const event = await settledEvent(runtime().database.db, webhookId);
    expect(event.status).toBe("rejected");
    expect(event.error).toMatch(/line_items/);
    expect(simulator.status().retried).toBe(0);
  });
});
