import { z } from "zod";
import { runDelivery } from "../../integrations/delivery/execute.server";
import { markDeliveryDeadByKey } from "../../models/deliveries.server";
import { defineTask } from "../define-task";

const payloadSchema = z.object({ shop: z.string().min(1), sourceId: z.string().min(1) });
const NAME = "deliver-gorgias";
/** The job key, which is also the delivery's idempotency key. */
const keyOf = (p: z.output<typeof payloadSchema>) => `${NAME}:${p.shop}:${p.sourceId}`;

/**
 * One Gorgias side effect (ticket, tags, internal note). The job key is the delivery's
 * idempotency key; the payload carries no customer data (that lives in the deliveries row).
 */
export const deliverGorgias = defineTask({
  name: NAME,
  payloadSchema,
  sourceId: (p) => p.sourceId,
  shop: (p) => p.shop,
  // A Retry-After wait happens inside the job (up to 15 s), so the lease allows for it.
  retry: { expireInSeconds: 120 },
  run: (payload, helpers) => runDelivery("gorgias", keyOf(payload), payload, helpers),
  async onDeadLetter(payload, error, { database }) {
    const parsed = payloadSchema.safeParse(payload);
    if (parsed.success)
      await markDeliveryDeadByKey(database.db, parsed.data.shop, keyOf(parsed.data), error);
  },
});
