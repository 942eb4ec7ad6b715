import { runTicketImportStep } from "../../integrations/gorgias/ticket-import.server";
import { failTicketImport } from "../../models/gorgias-ticket-imports.server";
import { importGorgiasTicketsTask } from "../contracts";
import { defineTask } from "../define-task";

/** Pages per job: 10 pages of 100 tickets take ~5 s within Gorgias's 40 requests per 20 s. */
export const TICKET_IMPORT_PAGES_PER_JOB = 10;

export const importGorgiasTickets = defineTask({
  ...importGorgiasTicketsTask,
  retry: { expireInSeconds: 300 },
  async run(payload, { database, queue, clock, attempt, signal }) {
    const result = await runTicketImportStep(database.db, queue, payload.shop, payload.importId, {
      maxPages: TICKET_IMPORT_PAGES_PER_JOB,
      now: clock.now(),
      attempt,
      signal,
    });
    if (result === "more") {
      await queue.enqueue(importGorgiasTicketsTask, { ...payload, step: payload.step + 1 });
    }
  },
  async onDeadLetter(payload, error, { database }) {
    const parsed = importGorgiasTicketsTask.payloadSchema.safeParse(payload);
    if (!parsed.success) return;
    await failTicketImport(database.db, parsed.data.shop, parsed.data.importId, error);
  },
});
