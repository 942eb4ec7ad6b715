import type { TaskDefinition } from "./define-task";
import { billUpsellFee } from "./tasks/bill-upsell-fee.server";
import { computeGapReport } from "./tasks/compute-gap-report.server";
import { confirmUpsellCharge } from "./tasks/confirm-upsell-charge.server";
import { deliverGorgias } from "./tasks/deliver-gorgias.server";
import { deliverKlaviyo } from "./tasks/deliver-klaviyo.server";
import { deliverShopify } from "./tasks/deliver-shopify.server";
import { forgetJob } from "./tasks/forget-job.server";
import { importGorgiasTickets } from "./tasks/import-gorgias-tickets.server";
import { importShopifyHistory } from "./tasks/import-shopify-history.server";
import { processWebhook } from "./tasks/process-webhook.server";
import { purgeExpiredData } from "./tasks/purge-expired-data.server";
import { reconcileSegments } from "./tasks/reconcile-segments.server";
import { runRecipes } from "./tasks/run-recipes.server";
import { syncInventoryItem } from "./tasks/sync-inventory-item.server";
import { syncShopDetails } from "./tasks/sync-shop-details.server";

/** Every task the workers run. Listed explicitly: no discovery. */
export const TASKS: TaskDefinition<any>[] = [
  processWebhook,
  syncInventoryItem,
  deliverKlaviyo,
  deliverGorgias,
  runRecipes,
  deliverShopify,
  forgetJob,
  purgeExpiredData,
  importGorgiasTickets,
  importShopifyHistory,
  syncShopDetails,
  reconcileSegments,
  confirmUpsellCharge,
  billUpsellFee,
  computeGapReport,
];
