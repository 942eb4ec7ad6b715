ALTER TABLE "upsell_offers" ADD COLUMN "order_id" bigint;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD COLUMN "charged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD COLUMN "charged_revenue" numeric(14, 2);--> statement-breakpoint
CREATE INDEX "upsell_offers_awaiting_charge_idx" ON "upsell_offers" USING btree ("shop","customer_id") WHERE "upsell_offers"."status" = 'accepted' and "upsell_offers"."charged_at" is null;