-- Purchases that got several unanswered offers at once (concurrent ShouldRender calls) keep the
-- newest; the older ones were never answered and are closed as declined.
UPDATE "upsell_offers" o SET "status" = 'declined', "responded_at" = o."shown_at"
WHERE o."status" = 'shown' AND EXISTS (
  SELECT 1 FROM "upsell_offers" n
  WHERE n."shop" = o."shop" AND n."reference_id" = o."reference_id" AND n."status" = 'shown'
    AND (n."shown_at", n."id") > (o."shown_at", o."id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "upsell_offers_one_pending_idx" ON "upsell_offers" USING btree ("shop","reference_id") WHERE "upsell_offers"."status" = 'shown';
