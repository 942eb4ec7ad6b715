import { createHash } from "node:crypto";
import type { ExecuteSql } from "../../db.server";
import type { GuardVerdict } from "./context";
import type { Channel, CustomerRef } from "./define-recipe";
import { capOf, isSuppressible, shownUpsellsSql, type GuardConfig } from "./guards";

/**
 * Who a cap counts against: the Shopify customer id, or for a guest the SHA-256 of the
 * lower-cased email (the ledger holds no email).
 */
export function customerKey(ref: CustomerRef | undefined): string | null {
  if (ref?.id) return `id:${ref.id}`;
  const email = ref?.email?.trim().toLowerCase();
  if (email) return `email:${createHash("sha256").update(email).digest("hex")}`;
  return null;
}

/**
 * Frequency caps across recipes, counted in `recipe_touches` over each channel's window (the
 * upsell cap in offers actually shown, `upsell_offers`: see UPSELL_OWN_PURCHASE_WINDOW_MS). One
 * ledger serves one evaluation: touches let through earlier in it count for later actions (two
 * recipes on one event share the cap), before anything is stored.
 */
export class GuardLedger {
  private readonly stored = new Map<string, number>();
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly executeSql: ExecuteSql,
    private readonly shop: string,
    readonly guards: GuardConfig,
    private readonly now: Date,
  ) {}

  private async count(key: string, channel: Channel, windowMs: number): Promise<number> {
    const id = `${key}|${channel}`;
    let stored = this.stored.get(id);
    if (stored === undefined) {
      const since = new Date(this.now.getTime() - windowMs);
      if (channel === "upsell") {
        // Offers shown, not decisions recorded (guards.ts); a guest's offers carry no customer.
        const { rows } = key.startsWith("id:")
          ? await this.executeSql(
              `select ${shownUpsellsSql("$1", "$2::bigint", "$3::timestamptz", "$4::timestamptz")} as n`,
              [this.shop, key.slice(3), since.toISOString(), this.now.toISOString()],
            )
          : { rows: [] };
        stored = Number(rows[0]?.n ?? 0);
      } else {
        const { rows } = await this.executeSql(
          `select count(*)::int as n from recipe_touches where shop = $1 and customer_key = $2 and channel = $3 and at > $4`,
          [this.shop, key, channel, since.toISOString()],
        );
        stored = Number(rows[0]?.n ?? 0);
      }
      this.stored.set(id, stored);
    }
    return stored + (this.pending.get(id) ?? 0);
  }

  /**
   * The verdict for one action: suppression first (open ticket, refund), then the channel's cap.
   * `readOnly` asks without counting the action; otherwise a passing action is counted.
   * `stored` supplies the customer's touches in the window when the caller already read them.
   */
  async verdict(
    customer: CustomerRef | undefined,
    channel: Channel,
    suppression: () => Promise<string | null>,
    { readOnly = false, stored }: { readOnly?: boolean; stored?: () => Promise<number> } = {},
  ): Promise<GuardVerdict> {
    if (isSuppressible(channel)) {
      const reason = await suppression();
      if (reason) return { ok: false, status: "suppressed", reason };
    }
    const cap = capOf(channel, this.guards);
    const key = customerKey(customer);
    if (!cap || !key) return { ok: true };
    if (stored && !this.stored.has(`${key}|${channel}`))
      this.stored.set(`${key}|${channel}`, await stored());
    const used = await this.count(key, channel, cap.windowMs);
    if (used >= cap.max)
      return {
        ok: false,
        status: "capped",
        reason: `frequency cap: ${cap.label} already reached for this customer`,
      };
    if (!readOnly)
      this.pending.set(`${key}|${channel}`, (this.pending.get(`${key}|${channel}`) ?? 0) + 1);
    return { ok: true };
  }
}
