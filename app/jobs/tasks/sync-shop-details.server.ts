import { lookUpShopDetails } from "../../integrations/shopify-admin/shop-details.server";
import { findShop, recordShopDetails } from "../../models/shops.server";
import { unauthenticated } from "../../shopify.server";
import { syncShopDetailsTask } from "../contracts";
import { defineTask } from "../define-task";
import { RetryableError, TerminalError } from "../errors";

/**
 * The install's shop lookup, asked again after afterAuth's failed (app/install.server.ts): fills
 * in the shop's name, currency, time zone and plan. Retried with backoff while Shopify throttles
 * or errs; a lookup that cannot succeed (a revoked token) ends in a dead letter with its reason.
 */
export const syncShopDetails = defineTask({
  ...syncShopDetailsTask,
  retry: { retryLimit: 10, retryDelaySeconds: 5, retryDelayMaxSeconds: 30 * 60 },
  async run({ shop, installedAt }, { database, clock }) {
    const row = await findShop(database.db, shop);
    // Uninstalled, or reinstalled since (that install looks the shop up itself).
    if (!row || row.uninstalledAt || row.installedAt.getTime() !== Date.parse(installedAt)) return;
    const { admin } = await unauthenticated.admin(shop);
    const lookup = await lookUpShopDetails((query) => admin.graphql(query));
    if (!lookup.ok)
      throw lookup.retry ? new RetryableError(lookup.reason) : new TerminalError(lookup.reason);
    await recordShopDetails(database.db, shop, lookup.details, clock.now());
  },
});
