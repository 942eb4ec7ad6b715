import { abandonedCheckoutRecovery } from "./abandoned-checkout-recovery/recipe";
import type { AnyRecipe } from "./engine/define-recipe";
import { highValueWhiteGlove } from "./high-value-white-glove/recipe";
import { lowStockPromoPause } from "./low-stock-promo-pause/recipe";
import { openTicketSuppression } from "./open-ticket-suppression/recipe";
import { postPurchaseUpsell } from "./post-purchase-upsell/recipe";
import { replenishmentReminder } from "./replenishment-reminder/recipe";
import { reviewRequestTiming } from "./review-request-timing/recipe";
import { shippingDelayOutreach } from "./shipping-delay-outreach/recipe";
import { vipTierSync } from "./vip-tier-sync/recipe";
import { winBackSegments } from "./win-back-segments/recipe";

/**
 * Every recipe this server runs, in the order the engine evaluates them (earlier recipes get
 * first claim on a shared frequency cap) and the catalog lists them. Explicit: adding a recipe
 * means adding it here. Ids are stored in the database: never rename one.
 */
export const RECIPES: readonly AnyRecipe[] = [
  postPurchaseUpsell,
  shippingDelayOutreach,
  vipTierSync,
  winBackSegments,
  openTicketSuppression,
  lowStockPromoPause,
  highValueWhiteGlove,
  reviewRequestTiming,
  replenishmentReminder,
  abandonedCheckoutRecovery,
];

export function findRecipe(id: string): AnyRecipe | undefined {
  return RECIPES.find((r) => r.id === id);
}
