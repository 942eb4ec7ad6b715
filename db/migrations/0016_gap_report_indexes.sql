CREATE INDEX "customers_shop_lower_email_idx" ON "customers" USING btree ("shop",lower("email"));--> statement-breakpoint
CREATE INDEX "fulfillments_shop_created_idx" ON "fulfillments" USING btree ("shop","created_at");--> statement-breakpoint
CREATE INDEX "fulfillments_shop_delivered_idx" ON "fulfillments" USING btree ("shop","delivered_at");--> statement-breakpoint
CREATE INDEX "gorgias_tickets_shop_updated_idx" ON "gorgias_tickets" USING btree ("shop","source_updated_at");