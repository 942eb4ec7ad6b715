import { runDelivery } from "../../integrations/delivery/execute.server";
import { defineDeliveryTask } from "./define-delivery-task.server";

/** One Klaviyo side effect (event, profile, list change). */
export const deliverKlaviyo = defineDeliveryTask("klaviyo", {
  // A Retry-After wait happens inside the job (up to 15 s), so the lease allows for it.
  retry: { expireInSeconds: 120 },
  run: (key, payload, helpers) => runDelivery("klaviyo", key, payload, helpers),
});
