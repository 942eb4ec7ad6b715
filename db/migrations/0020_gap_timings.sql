CREATE TABLE "order_refunds" (
	"shop" text NOT NULL,
	"id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	"money_status" text NOT NULL,
	"source_updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_refunds_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
ALTER TABLE "gorgias_tickets" ADD COLUMN "source_created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gorgias_tickets" ADD COLUMN "first_agent_response_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gorgias_tickets" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "order_refunds_shop_order_idx" ON "order_refunds" USING btree ("shop","order_id");--> statement-breakpoint
CREATE INDEX "order_refunds_shop_created_idx" ON "order_refunds" USING btree ("shop","created_at");--> statement-breakpoint
CREATE INDEX "gorgias_tickets_shop_first_response_idx" ON "gorgias_tickets" USING btree ("shop","first_agent_response_at") WHERE "gorgias_tickets"."first_agent_response_at" is not null;--> statement-breakpoint
CREATE INDEX "gorgias_tickets_shop_closed_idx" ON "gorgias_tickets" USING btree ("shop","closed_at") WHERE "gorgias_tickets"."closed_at" is not null;