CREATE TABLE "history_imports" (
	"shop" text PRIMARY KEY NOT NULL,
	"import_id" text NOT NULL,
	"status" text NOT NULL,
	"phase" text DEFAULT 'orders' NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"bulk_operation_id" text,
	"object_count" bigint,
	"lines_loaded" bigint DEFAULT 0 NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"customers" integer DEFAULT 0 NOT NULL,
	"fulfillments" integer DEFAULT 0 NOT NULL,
	"inventory_levels" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "iana_timezone" text;