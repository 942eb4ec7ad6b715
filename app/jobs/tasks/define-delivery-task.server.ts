import { deliveryTask, jobKey, type DeliveryPayload, type DeliveryVendor } from "../contracts";
import { markDeliveryDeadByKey } from "../../models/deliveries.server";
import { defineTask, type RetryPolicy, type TaskHelpers } from "../define-task";

/**
 * The deliver-<vendor> task: runs one `deliveries` row, found by its idempotency key (which is
 * also the job key), and marks it dead when its job is dead-lettered. The payload carries no
 * customer data (that lives in the row).
 */
export function defineDeliveryTask(
  vendor: DeliveryVendor,
  options: {
    retry?: Partial<RetryPolicy>;
    run(key: string, payload: DeliveryPayload, helpers: TaskHelpers): Promise<void>;
  },
) {
  const contract = deliveryTask(vendor);
  return defineTask({
    ...contract,
    retry: options.retry,
    // A vendor call takes well under a second, a rate-limit wait at most 15 s inline, against a
    // lease of at least 60 s: two rounds a fetch stay inside it.
    fetchRounds: 2,
    run: (payload, helpers) => options.run(jobKey(contract, payload), payload, helpers),
    async onDeadLetter(payload, error, { database }) {
      const parsed = contract.payloadSchema.safeParse(payload);
      if (parsed.success)
        await markDeliveryDeadByKey(
          database.db,
          parsed.data.shop,
          jobKey(contract, parsed.data),
          error,
        );
    },
  });
}
