CREATE TABLE "upsell_holdouts" (
	"shop" text NOT NULL,
	"reference_id" text NOT NULL,
	"customer_id" bigint,
	"experiment_key" text NOT NULL,
	"variant_id" bigint NOT NULL,
	"initial_total" numeric(14, 2),
	"currency" text NOT NULL,
	"held_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD COLUMN "experiment_key" text;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD COLUMN "arm" text;--> statement-breakpoint
CREATE UNIQUE INDEX "upsell_holdouts_purchase_idx" ON "upsell_holdouts" USING btree ("shop","reference_id");--> statement-breakpoint
CREATE INDEX "upsell_holdouts_experiment_idx" ON "upsell_holdouts" USING btree ("shop","experiment_key","held_at");--> statement-breakpoint
CREATE INDEX "upsell_offers_shop_experiment_idx" ON "upsell_offers" USING btree ("shop","experiment_key") WHERE "upsell_offers"."experiment_key" is not null;