import "../helpers/shopify";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { webhookEvents } from "../../db/schema/index";
import type { TaskHelpers } from "../../app/jobs/define-task";
import { processWebhook } from "../../app/jobs/tasks/process-webhook.server";
import { systemClock } from "../../app/utils/clock";
import {
  appUninstalledPayload,
  customersRedactPayload,
  orderPayload,
} from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent } from "../helpers/webhooks";

/**
 * app/uninstalled stops the shop's queued work, but webhooks already stored for it must still
 * be settled: a privacy request processed, anything else marked ignored. Found by the fuzz
 * suite: their jobs were cancelled with the rest and they stayed `received` for good.
 */
describeWithRuntime(
  "webhooks queued when an app/uninstalled is processed",
  ({ runtime }) => {
    it("are settled afterwards: the privacy request processed, the order ignored", async () => {
      const shop = "queued-behind.myshopify.com";
      const stored = async (topic: string, body: unknown, webhookId: string) => {
        expect((await deliver(topic, body, { shop, webhookId })).status).toBe(200);
        return (
          await runtime()
            .database.db.select()
            .from(webhookEvents)
            .where(eq(webhookEvents.webhookId, webhookId))
        )[0]!;
      };
      const uninstall = await stored(
        "app/uninstalled",
        appUninstalledPayload({ myshopify_domain: shop }),
        "qb-uninstall",
      );
      await stored("orders/create", orderPayload({ id: 6_960_000_001 }), "qb-order");
      await stored("customers/redact", customersRedactPayload({ shop_domain: shop }), "qb-redact");

      // The uninstall runs while the other two wait in the queue (no worker has them yet).
      const queue = runtime().queue;
      const helpers: TaskHelpers = {
        database: runtime().database,
        clock: systemClock,
        queue,
        jobId: "uninstall-under-test",
        shopJobs: (s, action, options) => queue.forShop(s, action, undefined, options?.keepTasks),
        forgetFinishedJob: async () => "gone",
        attempt: 1,
        signal: new AbortController().signal,
      };
      await processWebhook.run(
        { eventId: uninstall.id, shop, topic: "app/uninstalled", webhookId: "qb-uninstall" },
        helpers,
      );

      await queue.work({ concurrency: 2 });
      const db = runtime().database.db;
      expect((await settledEvent(db, "qb-uninstall")).status).toBe("processed");
      expect((await settledEvent(db, "qb-order")).status).toBe("ignored");
      expect((await settledEvent(db, "qb-redact")).status).toBe("processed");
    });
  },
  { workers: false },
);
