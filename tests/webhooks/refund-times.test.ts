import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { orderRefunds, orders } from "../../db/schema/index";
import { SHOP, orderPayload } from "../fixtures/shopify-payloads";
import { describeWithRuntime } from "../helpers/runtime";
import { DAY_MS, HOUR_MS } from "../helpers/time";
import { deliver, settledEvent } from "../helpers/webhooks";

/**
 * The refunds an order payload carries are kept with their times (order_refunds), so the gap
 * report can time a refund: issued, then its money sent back. Ids are JSON numbers above 2^53,
 * as Shopify sends them.
 */

const ORDER_ID = "9007199254740993"; // 2^53 + 1: JSON.parse would read …992
const REFUND_ID = "9223372036854775001";
const RESTOCK_ID = "9223372036854775002";
const TRANSACTION_ID = "9223372036854775101";

/** A REST `refunds[]` entry as orders/updated carries it. */
function refund(
  idPlaceholder: string,
  createdAt: Date,
  transactions: { status: string; processedAt: Date }[],
) {
  return {
    id: idPlaceholder,
    admin_graphql_api_id: `gid://shopify/Refund/${idPlaceholder}`,
    order_id: "__ORDER__",
    created_at: createdAt.toISOString(),
    processed_at: createdAt.toISOString(),
    note: "Arrived damaged",
    restock: true,
    user_id: 100_200_300,
    refund_line_items: [
      { id: 61_001, line_item_id: 13_579_246_801, quantity: 1, restock_type: "return" },
    ],
    order_adjustments: [],
    transactions: transactions.map((t) => ({
      id: "__TRANSACTION__",
      admin_graphql_api_id: "gid://shopify/OrderTransaction/__TRANSACTION__",
      order_id: "__ORDER__",
      kind: "refund",
      gateway: "shopify_payments",
      status: t.status,
      amount: "39.50",
      currency: "USD",
      parent_id: 5_550_001,
      created_at: createdAt.toISOString(),
      processed_at: t.processedAt.toISOString(),
      test: false,
    })),
  };
}

/** The payload's text with the placeholders swapped for 64-bit ids as bare JSON numbers. */
function rawBody(payload: unknown): string {
  return JSON.stringify(payload)
    .replaceAll('"__ORDER__"', ORDER_ID)
    .replaceAll('"__REFUND__"', REFUND_ID)
    .replaceAll('"__RESTOCK__"', RESTOCK_ID)
    .replaceAll('"__TRANSACTION__"', TRANSACTION_ID)
    .replaceAll("__REFUND__", REFUND_ID)
    .replaceAll("__RESTOCK__", RESTOCK_ID)
    .replaceAll("__TRANSACTION__", TRANSACTION_ID)
    .replaceAll("__ORDER__", ORDER_ID);
}

describeWithRuntime("refund times from order webhooks", ({ runtime }) => {
  const db = () => runtime().database.db;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  let sent = 0;
  const send = async (payload: unknown) => {
    const webhookId = `refund-times-${++sent}`;
    const response = await deliver("orders/updated", null, {
      webhookId,
      rawBody: rawBody(payload),
    });
    expect(response.status).toBe(200);
    const event = await settledEvent(db(), webhookId);
    expect([event.status, event.error]).toEqual(["processed", null]);
  };
  const order = (updatedAt: Date, refunds: unknown[]) => ({
    ...orderPayload({ id: "__ORDER__" }),
    admin_graphql_api_id: "gid://shopify/Order/__ORDER__",
    financial_status: "partially_refunded",
    created_at: ago(5 * DAY_MS).toISOString(),
    processed_at: ago(5 * DAY_MS).toISOString(),
    updated_at: updatedAt.toISOString(),
    refunds,
  });
  const stored = () =>
    db().select().from(orderRefunds).where(eq(orderRefunds.shop, SHOP)).orderBy(orderRefunds.id);

  it("keeps when each refund was issued and when its money went back, newest delivery winning", async () => {
    const issuedAt = ago(3 * DAY_MS);
    const pending = order(ago(3 * DAY_MS - HOUR_MS), [
      refund("__REFUND__", issuedAt, [{ status: "pending", processedAt: issuedAt }]),
      // A restock without money: no refund transaction.
      refund("__RESTOCK__", issuedAt, []),
    ]);
    await send(pending);
    const [row] = await db().select().from(orders).where(eq(orders.id, ORDER_ID));
    expect(row).toMatchObject({ shop: SHOP, refundCount: 2 });
    expect(await stored()).toEqual([
      expect.objectContaining({
        id: REFUND_ID,
        orderId: ORDER_ID,
        createdAt: issuedAt,
        processedAt: null,
        moneyStatus: "pending",
      }),
      expect.objectContaining({ id: RESTOCK_ID, orderId: ORDER_ID, moneyStatus: "none" }),
    ]);

    // Two days later the bank confirms the refund.
    const paidAt = ago(DAY_MS);
    await send(
      order(paidAt, [
        refund("__REFUND__", issuedAt, [{ status: "success", processedAt: paidAt }]),
        refund("__RESTOCK__", issuedAt, []),
      ]),
    );
    const afterPaid = await stored();
    expect(afterPaid[0]).toMatchObject({
      id: REFUND_ID,
      createdAt: issuedAt,
      processedAt: paidAt,
      moneyStatus: "sent",
    });

    // The pending delivery arriving late changes nothing.
    await send(pending);
    expect(await stored()).toEqual(afterPaid);
  });
});
