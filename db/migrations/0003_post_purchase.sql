CREATE TABLE "changeset_signatures" (
	"jti" uuid PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"reference_id" text NOT NULL,
	"offer_id" uuid NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upsell_offers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"reference_id" text NOT NULL,
	"customer_id" bigint,
	"recipe" text NOT NULL,
	"reason" text,
	"product_id" bigint,
	"variant_id" bigint NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"title" text NOT NULL,
	"price" numeric(14, 2) NOT NULL,
	"discount_type" text,
	"discount_value" numeric(14, 2),
	"currency" text NOT NULL,
	"initial_total" numeric(14, 2),
	"status" text DEFAULT 'shown' NOT NULL,
	"revenue" numeric(14, 2),
	"changeset_jti" uuid NOT NULL,
	"shown_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "upsell_offers_changeset_jti_unique" UNIQUE("changeset_jti")
);
--> statement-breakpoint
ALTER TABLE "changeset_signatures" ADD CONSTRAINT "changeset_signatures_offer_id_upsell_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."upsell_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "changeset_signatures_shop_idx" ON "changeset_signatures" USING btree ("shop");--> statement-breakpoint
CREATE INDEX "upsell_offers_shop_reference_idx" ON "upsell_offers" USING btree ("shop","reference_id");--> statement-breakpoint
CREATE INDEX "upsell_offers_shop_shown_idx" ON "upsell_offers" USING btree ("shop","shown_at");--> statement-breakpoint
CREATE INDEX "upsell_offers_shop_customer_idx" ON "upsell_offers" USING btree ("shop","customer_id");