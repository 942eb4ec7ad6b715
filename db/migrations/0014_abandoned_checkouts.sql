CREATE TABLE "checkouts" (
	"shop" text NOT NULL,
	"token" text NOT NULL,
	"id" bigint NOT NULL,
	"cart_token" text,
	"customer_id" bigint,
	"email" text,
	"line_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subtotal_price" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"presentment_currency" text,
	"abandoned_checkout_url" text,
	"completed_at" timestamp with time zone,
	"order_id" bigint,
	"ordered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "checkouts_shop_token_pk" PRIMARY KEY("shop","token")
);
--> statement-breakpoint
CREATE INDEX "checkouts_shop_id_idx" ON "checkouts" USING btree ("shop","id");--> statement-breakpoint
CREATE INDEX "checkouts_shop_customer_idx" ON "checkouts" USING btree ("shop","customer_id");--> statement-breakpoint
CREATE INDEX "checkouts_shop_created_idx" ON "checkouts" USING btree ("shop","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "variants_shop_product_idx" ON "variants" USING btree ("shop","product_id");