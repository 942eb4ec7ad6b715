ALTER TABLE "upsell_offers" ADD COLUMN "rule_index" integer;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD COLUMN "step" text DEFAULT 'offer' NOT NULL;