CREATE TABLE "shops" (
	"domain" text PRIMARY KEY NOT NULL,
	"name" text,
	"plan" text,
	"currency" text,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uninstalled_at" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"state" text NOT NULL,
	"isOnline" boolean DEFAULT false NOT NULL,
	"scope" text,
	"expires" timestamp,
	"accessToken" text NOT NULL,
	"userId" bigint,
	"firstName" text,
	"lastName" text,
	"email" text,
	"accountOwner" boolean,
	"locale" text,
	"collaborator" boolean,
	"emailVerified" boolean,
	"refreshToken" text,
	"refreshTokenExpires" timestamp
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"topic" text NOT NULL,
	"webhook_id" text NOT NULL,
	"event_id" text,
	"triggered_at" timestamp with time zone,
	"api_version" text,
	"payload" jsonb,
	"raw_body" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"email" text,
	"first_name" text,
	"last_name" text,
	"phone" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"email_marketing_state" text,
	"accepts_marketing" boolean DEFAULT false NOT NULL,
	"lifetime_spend" numeric(14, 2) DEFAULT '0' NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"first_order_at" timestamp with time zone,
	"last_order_at" timestamp with time zone,
	"source_updated_at" timestamp with time zone,
	CONSTRAINT "customers_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "fulfillment_events" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"fulfillment_id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"status" text NOT NULL,
	"message" text,
	"happened_at" timestamp with time zone NOT NULL,
	"estimated_delivery_at" timestamp with time zone,
	"city" text,
	"province" text,
	"country" text,
	CONSTRAINT "fulfillment_events_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "fulfillments" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"status" text,
	"shipment_status" text,
	"tracking_company" text,
	"tracking_numbers" text[] DEFAULT '{}' NOT NULL,
	"tracking_urls" text[] DEFAULT '{}' NOT NULL,
	"estimated_delivery_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"source_updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fulfillments_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "inventory_levels" (
	"shop" text NOT NULL,
	"inventory_item_id" bigint NOT NULL,
	"location_id" bigint NOT NULL,
	"available" integer,
	"source_updated_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_levels_shop_inventory_item_id_location_id_pk" PRIMARY KEY("shop","inventory_item_id","location_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"customer_id" bigint,
	"currency" text NOT NULL,
	"presentment_currency" text,
	"total_price" numeric(14, 2) NOT NULL,
	"subtotal_price" numeric(14, 2),
	"total_tax" numeric(14, 2),
	"current_total_price" numeric(14, 2) NOT NULL,
	"presentment_total_price" numeric(14, 2),
	"financial_status" text,
	"fulfillment_status" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"line_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"refund_count" integer DEFAULT 0 NOT NULL,
	"cancelled_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orders_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "privacy_exports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "privacy_exports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"shop" text NOT NULL,
	"customer_id" bigint,
	"data_request_id" bigint,
	"webhook_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_exports_webhook_id_unique" UNIQUE("webhook_id")
);
--> statement-breakpoint
CREATE TABLE "variants" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"product_id" bigint,
	"inventory_item_id" bigint,
	"sku" text,
	"title" text,
	"price" numeric(14, 2),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variants_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text,
	"task" text NOT NULL,
	"job_key" text NOT NULL,
	"job_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"error" text NOT NULL,
	"error_kind" text NOT NULL,
	"attempts" integer NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone,
	"replay_job_id" text,
	CONSTRAINT "dead_letters_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
CREATE INDEX "sessions_shop_idx" ON "sessions" USING btree ("shop");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_webhook_id_key" ON "webhook_events" USING btree ("webhook_id");--> statement-breakpoint
CREATE INDEX "webhook_events_shop_received_idx" ON "webhook_events" USING btree ("shop","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_events_shop_status_idx" ON "webhook_events" USING btree ("shop","status") WHERE "webhook_events"."status" <> 'processed';--> statement-breakpoint
CREATE INDEX "customers_shop_email_idx" ON "customers" USING btree ("shop","email");--> statement-breakpoint
CREATE INDEX "customers_shop_last_order_idx" ON "customers" USING btree ("shop","last_order_at");--> statement-breakpoint
CREATE INDEX "fulfillment_events_shop_fulfillment_idx" ON "fulfillment_events" USING btree ("shop","fulfillment_id");--> statement-breakpoint
CREATE INDEX "fulfillments_shop_order_idx" ON "fulfillments" USING btree ("shop","order_id");--> statement-breakpoint
CREATE INDEX "orders_shop_customer_idx" ON "orders" USING btree ("shop","customer_id");--> statement-breakpoint
CREATE INDEX "orders_shop_created_idx" ON "orders" USING btree ("shop","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "variants_shop_inventory_item_idx" ON "variants" USING btree ("shop","inventory_item_id");--> statement-breakpoint
CREATE INDEX "dead_letters_shop_failed_idx" ON "dead_letters" USING btree ("shop","failed_at" DESC NULLS LAST);