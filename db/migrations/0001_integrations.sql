CREATE TABLE "integrations" (
	"shop" text NOT NULL,
	"vendor" text NOT NULL,
	"status" text DEFAULT 'connected' NOT NULL,
	"credentials" text NOT NULL,
	"credentials_key_id" text NOT NULL,
	"secret_hint" text NOT NULL,
	"klaviyo_account_id" text,
	"klaviyo_account_name" text,
	"granted_scopes" text[] DEFAULT '{}' NOT NULL,
	"missing_scopes" text[] DEFAULT '{}' NOT NULL,
	"gorgias_domain" text,
	"gorgias_email" text,
	"gorgias_http_integration_id" bigint,
	"last_error" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_shop_vendor_pk" PRIMARY KEY("shop","vendor")
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"vendor" text NOT NULL,
	"operation" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"recipe" text NOT NULL,
	"source" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"vendor_id" text,
	"response" jsonb,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "deliveries_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint,
	"shop" text NOT NULL,
	"vendor" text NOT NULL,
	"operation" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer NOT NULL,
	"error" text,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gorgias_tickets" (
	"shop" text NOT NULL,
	"ticket_id" bigint NOT NULL,
	"customer_email" text NOT NULL,
	"status" text NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gorgias_tickets_shop_ticket_id_pk" PRIMARY KEY("shop","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "klaviyo_list_members" (
	"shop" text NOT NULL,
	"list_id" text NOT NULL,
	"email" text NOT NULL,
	"profile_id" text,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "klaviyo_list_members_shop_list_id_email_pk" PRIMARY KEY("shop","list_id","email")
);
--> statement-breakpoint
CREATE TABLE "klaviyo_lists" (
	"shop" text NOT NULL,
	"name" text NOT NULL,
	"list_id" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "klaviyo_lists_shop_name_pk" PRIMARY KEY("shop","name")
);
--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_shop_created_idx" ON "deliveries" USING btree ("shop","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "deliveries_shop_status_idx" ON "deliveries" USING btree ("shop","status");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_shop_at_idx" ON "delivery_attempts" USING btree ("shop","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "gorgias_tickets_shop_email_idx" ON "gorgias_tickets" USING btree ("shop","customer_email");--> statement-breakpoint
CREATE INDEX "klaviyo_list_members_shop_email_idx" ON "klaviyo_list_members" USING btree ("shop","email");