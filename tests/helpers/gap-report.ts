import { randomUUID } from "node:crypto";
import {
  checkouts,
  customers,
  fulfillments,
  gorgiasTickets,
  integrations,
  inventoryLevels,
  klaviyoListMembers,
  klaviyoLists,
  orderRefunds,
  orders,
  recipeRuns,
  shops,
  upsellOffers,
  variants,
  type OrderLineItem,
} from "../../db/schema/index";
import type { Db } from "../../app/db.server";
import type { Vendor } from "../../db/schema/integrations";
import { DAY_MS, HOUR_MS } from "./time";

/**
 * Seeds a shop's read model for the gap report, every instant relative to `now`. Shopify ids are
 * 64-bit (above 2^53), so a JS number anywhere on the way would change them.
 */
export const BIG_ID = 9_007_199_254_740_993n;
export const id = (n: number) => String(BIG_ID + BigInt(n));

export function gapStore(db: Db, shop: string, now: Date) {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  return {
    ago,
    days: (n: number) => ago(n * DAY_MS),
    hours: (n: number) => ago(n * HOUR_MS),
    async shop(values: { currency?: string; timeZone?: string | null } = {}) {
      await db.insert(shops).values({
        domain: shop,
        currency: values.currency ?? "USD",
        ianaTimezone: values.timeZone ?? null,
      });
    },
    async connect(vendor: Vendor) {
      await db.insert(integrations).values({
        shop,
        vendor,
        credentials: "sealed-for-tests",
        credentialsKeyId: "test",
        secretHint: "…test",
      });
    },
    async customer(
      n: number,
      values: { email?: string | null; lastOrderAt?: Date | null; withheld?: boolean } = {},
    ) {
      await db.insert(customers).values({
        shop,
        id: id(n),
        email: values.withheld ? null : (values.email ?? `customer${n}@example.com`),
        firstName: values.withheld ? null : `Customer ${n}`,
        lastOrderAt: values.lastOrderAt ?? null,
      });
    },
    async order(
      n: number,
      values: {
        createdAt: Date;
        total?: string;
        customer?: number | null;
        email?: string | null;
        financialStatus?: string;
        variant?: number;
        quantity?: number;
      },
    ) {
      const lineItems: OrderLineItem[] =
        values.variant === undefined
          ? []
          : [
              {
                id: id(100_000 + n),
                variantId: id(values.variant),
                productId: null,
                sku: null,
                title: `Item ${values.variant}`,
                quantity: values.quantity ?? 1,
                price: values.total ?? "100.00",
              },
            ];
      await db.insert(orders).values({
        shop,
        id: id(n),
        name: `#${1000 + n}`,
        email: values.email ?? null,
        customerId: values.customer == null ? null : id(values.customer),
        currency: "USD",
        totalPrice: values.total ?? "100.00",
        currentTotalPrice: values.total ?? "100.00",
        financialStatus: values.financialStatus ?? "paid",
        lineItems,
        createdAt: values.createdAt,
        sourceUpdatedAt: values.createdAt,
      });
    },
    async fulfillment(
      n: number,
      values: {
        order: number;
        createdAt: Date;
        shipmentStatus?: string;
        estimatedDeliveryAt?: Date;
        deliveredAt?: Date;
      },
    ) {
      await db.insert(fulfillments).values({
        shop,
        id: id(n),
        orderId: id(values.order),
        createdAt: values.createdAt,
        shipmentStatus: values.shipmentStatus ?? null,
        estimatedDeliveryAt: values.estimatedDeliveryAt ?? null,
        deliveredAt: values.deliveredAt ?? null,
        sourceUpdatedAt: values.createdAt,
      });
    },
    async stock(variant: number, available: number) {
      await db.insert(variants).values({ shop, id: id(variant), inventoryItemId: id(variant + 1) });
      await db.insert(inventoryLevels).values({
        shop,
        inventoryItemId: id(variant + 1),
        locationId: id(1),
        available,
        sourceUpdatedAt: now,
      });
    },
    async ticket(
      ticketId: number,
      values: {
        email: string;
        updatedAt: Date;
        createdAt?: Date;
        firstResponseAt?: Date;
        closedAt?: Date;
      },
    ) {
      await db.insert(gorgiasTickets).values({
        shop,
        ticketId,
        customerEmail: values.email,
        status: values.closedAt ? "closed" : "open",
        sourceUpdatedAt: values.updatedAt,
        sourceCreatedAt: values.createdAt ?? null,
        firstAgentResponseAt: values.firstResponseAt ?? null,
        closedAt: values.closedAt ?? null,
      });
    },
    async refund(
      n: number,
      values: {
        order: number;
        createdAt: Date;
        processedAt?: Date;
        moneyStatus?: "sent" | "pending" | "none";
      },
    ) {
      await db.insert(orderRefunds).values({
        shop,
        id: id(700_000 + n),
        orderId: id(values.order),
        createdAt: values.createdAt,
        processedAt: values.processedAt ?? null,
        moneyStatus: values.moneyStatus ?? (values.processedAt ? "sent" : "pending"),
        sourceUpdatedAt: values.processedAt ?? values.createdAt,
      });
    },
    async run(
      recipeId: string,
      values: { order: number; at: Date; outcome?: "acted" | "skipped" },
    ) {
      await db.insert(recipeRuns).values({
        shop,
        recipeId,
        trigger: "fulfillment_events/create",
        eventKey: `test/${randomUUID()}`,
        orderId: id(values.order),
        outcome: values.outcome ?? "acted",
        durationMs: 1,
        createdAt: values.at,
      });
    },
    async listMember(listName: string, email: string) {
      const listId = `list-${listName}`;
      await db.insert(klaviyoLists).values({ shop, name: listName, listId }).onConflictDoNothing();
      await db.insert(klaviyoListMembers).values({ shop, listId, email });
    },
    async offer(values: { shownAt: Date; accepted?: boolean; revenue?: string }) {
      await db.insert(upsellOffers).values({
        id: randomUUID(),
        shop,
        referenceId: randomUUID(),
        recipe: "post-purchase-upsell",
        variantId: id(9),
        title: "Add-on",
        price: "30.00",
        currency: "USD",
        status: values.accepted ? "accepted" : "declined",
        revenue: values.accepted ? (values.revenue ?? "30.00") : null,
        changesetJti: randomUUID(),
        shownAt: values.shownAt,
      });
    },
    async checkout(
      token: string,
      values: { createdAt: Date; subtotal?: string; orderedAt?: Date; order?: number },
    ) {
      await db.insert(checkouts).values({
        shop,
        token,
        id: id(500_000 + Number.parseInt(token.replace(/\D/g, "") || "0", 10)),
        subtotalPrice: values.subtotal ?? "50.00",
        currency: "USD",
        orderId: values.order === undefined ? null : id(values.order),
        orderedAt: values.orderedAt ?? null,
        createdAt: values.createdAt,
        lastActivityAt: values.createdAt,
        sourceUpdatedAt: values.createdAt,
      });
    },
  };
}
