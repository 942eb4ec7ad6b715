CREATE TABLE "product_facts" (
	"shop" text NOT NULL,
	"product_id" bigint NOT NULL,
	"title" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"collection_ids" bigint[] DEFAULT '{}' NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_facts_shop_product_id_pk" PRIMARY KEY("shop","product_id")
);
--> statement-breakpoint
CREATE TABLE "recipe_guard_settings" (
	"shop" text PRIMARY KEY NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipe_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"recipe_id" text NOT NULL,
	"trigger" text NOT NULL,
	"event_key" text NOT NULL,
	"subject" text,
	"order_id" bigint,
	"customer_id" bigint,
	"outcome" text NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reasons" text[] DEFAULT '{}' NOT NULL,
	"scheduled" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duration_ms" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recipe_settings" (
	"shop" text NOT NULL,
	"recipe_id" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipe_settings_shop_recipe_id_pk" PRIMARY KEY("shop","recipe_id")
);
--> statement-breakpoint
CREATE TABLE "recipe_state" (
	"shop" text NOT NULL,
	"recipe_id" text NOT NULL,
	"subject" text NOT NULL,
	"customer_id" bigint,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipe_state_shop_recipe_id_subject_pk" PRIMARY KEY("shop","recipe_id","subject")
);
--> statement-breakpoint
CREATE TABLE "recipe_touches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"customer_key" text NOT NULL,
	"customer_id" bigint,
	"channel" text NOT NULL,
	"recipe_id" text NOT NULL,
	"action_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recipe_touches_action_key_unique" UNIQUE("action_key")
);
--> statement-breakpoint
CREATE TABLE "variant_stock_checks" (
	"shop" text NOT NULL,
	"variant_id" bigint NOT NULL,
	"available" integer,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variant_stock_checks_shop_variant_id_pk" PRIMARY KEY("shop","variant_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "recipe_runs_event_idx" ON "recipe_runs" USING btree ("shop","recipe_id","event_key");--> statement-breakpoint
CREATE INDEX "recipe_runs_shop_created_idx" ON "recipe_runs" USING btree ("shop","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "recipe_runs_shop_customer_idx" ON "recipe_runs" USING btree ("shop","customer_id");--> statement-breakpoint
CREATE INDEX "recipe_runs_shop_order_idx" ON "recipe_runs" USING btree ("shop","order_id");--> statement-breakpoint
CREATE INDEX "recipe_state_shop_customer_idx" ON "recipe_state" USING btree ("shop","customer_id");--> statement-breakpoint
CREATE INDEX "recipe_touches_lookup_idx" ON "recipe_touches" USING btree ("shop","customer_key","channel","at" DESC NULLS LAST);