import { runDelivery } from "../../integrations/delivery/execute.server";
import { defineDeliveryTask } from "./define-delivery-task.server";

/** One Gorgias side effect (ticket, tags, internal note). */
export const deliverGorgias = defineDeliveryTask("gorgias", {
  // A Retry-After wait happens inside the job (up to 15 s), so the lease allows for it.
  retry: { expireInSeconds: 120 },
  run: (key, payload, helpers) => runDelivery("gorgias", key, payload, helpers),
});
