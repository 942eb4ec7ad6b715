CREATE TABLE "privacy_redactions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "privacy_redactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"shop" text NOT NULL,
	"customer_id" bigint NOT NULL,
	"webhook_id" text NOT NULL,
	"removed" jsonb NOT NULL,
	"vendors" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_redactions_webhook_id_unique" UNIQUE("webhook_id")
);
--> statement-breakpoint
CREATE INDEX "privacy_redactions_shop_created" ON "privacy_redactions" USING btree ("shop","created_at");