import type { TaskDefinition } from "./define-task";
import { processWebhook } from "./tasks/process-webhook.server";
import { syncInventoryItem } from "./tasks/sync-inventory-item.server";

/** Every task the workers run. Listed explicitly: no discovery. */
export const TASKS: TaskDefinition<any>[] = [processWebhook, syncInventoryItem];
