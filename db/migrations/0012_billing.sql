CREATE TABLE "billing_usage_records" (
	"shop" text NOT NULL,
	"offer_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"description" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"usage_record_id" text,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"billed_at" timestamp with time zone,
	CONSTRAINT "billing_usage_records_shop_offer_id_pk" PRIMARY KEY("shop","offer_id")
);
--> statement-breakpoint
CREATE TABLE "shop_subscriptions" (
	"shop" text PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"plan" text NOT NULL,
	"status" text NOT NULL,
	"usage_line_item_id" text,
	"test" boolean DEFAULT false NOT NULL,
	"trial_days" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
