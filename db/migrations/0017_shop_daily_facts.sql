CREATE TABLE "shop_daily_buyers" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"prev_day" date NOT NULL,
	"prev_first" boolean NOT NULL,
	"orders" integer NOT NULL,
	"first_time" integer NOT NULL,
	CONSTRAINT "shop_daily_buyers_shop_day_prev_day_prev_first_pk" PRIMARY KEY("shop","day","prev_day","prev_first")
);
--> statement-breakpoint
CREATE TABLE "shop_daily_dirty" (
	"shop" text NOT NULL,
	"utc_day" date NOT NULL,
	CONSTRAINT "shop_daily_dirty_shop_utc_day_pk" PRIMARY KEY("shop","utc_day")
);
--> statement-breakpoint
CREATE TABLE "shop_daily_facts" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"time_zone" text NOT NULL,
	"orders" integer NOT NULL,
	"revenue" numeric(16, 2) NOT NULL,
	"outstanding" integer NOT NULL,
	"outstanding_amount" numeric(16, 2) NOT NULL,
	"parcels" integer NOT NULL,
	"parcels_delayed" integer NOT NULL,
	"delivered" integer NOT NULL,
	"tickets" integer NOT NULL,
	"wismo_tickets" integer NOT NULL,
	CONSTRAINT "shop_daily_facts_shop_day_pk" PRIMARY KEY("shop","day")
);
--> statement-breakpoint
CREATE TABLE "shop_daily_review_asks" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"asked_day" date NOT NULL,
	"parcels" integer NOT NULL,
	CONSTRAINT "shop_daily_review_asks_shop_day_asked_day_pk" PRIMARY KEY("shop","day","asked_day")
);
--> statement-breakpoint
CREATE TABLE "shop_daily_ship_times" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"tenths" integer NOT NULL,
	"orders" integer NOT NULL,
	CONSTRAINT "shop_daily_ship_times_shop_day_tenths_pk" PRIMARY KEY("shop","day","tenths")
);
--> statement-breakpoint
CREATE TABLE "shop_daily_variant_units" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"variant_id" text NOT NULL,
	"units" integer,
	CONSTRAINT "shop_daily_variant_units_shop_day_variant_id_pk" PRIMARY KEY("shop","day","variant_id")
);
--> statement-breakpoint
CREATE INDEX "fulfillments_shop_in_transit_idx" ON "fulfillments" USING btree ("shop","created_at") WHERE "fulfillments"."delivered_at" is null and "fulfillments"."estimated_delivery_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_shop_customer_created_idx" ON "orders" USING btree ("shop","customer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_line_item_variants_idx" ON "orders" USING gin (jsonb_path_query_array("line_items", '$[*]."variantId"'));--> statement-breakpoint
CREATE INDEX "orders_shop_outstanding_idx" ON "orders" USING btree ("shop","created_at") WHERE "orders"."cancelled_at" is null and "orders"."financial_status" in ('pending', 'authorized', 'partially_paid', 'voided', 'expired');--> statement-breakpoint
-- The gap report's daily facts (the shop_daily_* tables) are kept right by
-- marking the UTC days every write to their base rows touches, whatever wrote it (webhooks, the
-- history import, redaction): one set-based insert per statement. An order marks the day it was
-- placed and the days of its customer's next two orders (whose previous order, and whether that
-- was a first order, it may change); a parcel the days it was created and delivered and its
-- order's day (time to first shipment).
CREATE FUNCTION "orders_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT o.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM new_rows o
		CROSS JOIN LATERAL (
			SELECT o.created_at
			UNION ALL
			(SELECT x.created_at FROM orders x
			WHERE x.shop = o.shop AND x.customer_id = o.customer_id AND (x.created_at, x.id) > (o.created_at, o.id)
			ORDER BY x.created_at, x.id LIMIT 2)
		) d(at)
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT o.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM old_rows o
		CROSS JOIN LATERAL (
			SELECT o.created_at
			UNION ALL
			(SELECT x.created_at FROM orders x
			WHERE x.shop = o.shop AND x.customer_id = o.customer_id AND (x.created_at, x.id) > (o.created_at, o.id)
			ORDER BY x.created_at, x.id LIMIT 2)
		) d(at)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "orders_mark_daily_facts_insert" AFTER INSERT ON "orders"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "orders_mark_daily_facts_update" AFTER UPDATE ON "orders"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "orders_mark_daily_facts_delete" AFTER DELETE ON "orders"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_daily_facts"();
--> statement-breakpoint
CREATE FUNCTION "fulfillments_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT f.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM new_rows f
		CROSS JOIN LATERAL (
			SELECT f.created_at
			UNION ALL
			SELECT f.delivered_at
			UNION ALL
			SELECT o.created_at FROM orders o WHERE o.shop = f.shop AND o.id = f.order_id
		) d(at)
		WHERE d.at IS NOT NULL
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT f.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM old_rows f
		CROSS JOIN LATERAL (
			SELECT f.created_at
			UNION ALL
			SELECT f.delivered_at
			UNION ALL
			SELECT o.created_at FROM orders o WHERE o.shop = f.shop AND o.id = f.order_id
		) d(at)
		WHERE d.at IS NOT NULL
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_daily_facts_insert" AFTER INSERT ON "fulfillments"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_daily_facts_update" AFTER UPDATE ON "fulfillments"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_daily_facts_delete" AFTER DELETE ON "fulfillments"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_daily_facts"();
--> statement-breakpoint
-- A review request (a Review request timing run) marks the days its order's parcels were delivered.
CREATE FUNCTION "recipe_runs_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT f.shop, (f.delivered_at AT TIME ZONE 'UTC')::date
		FROM new_rows r JOIN fulfillments f ON f.shop = r.shop AND f.order_id = r.order_id
		WHERE r.recipe_id = 'review-request-timing' AND f.delivered_at IS NOT NULL
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT f.shop, (f.delivered_at AT TIME ZONE 'UTC')::date
		FROM old_rows r JOIN fulfillments f ON f.shop = r.shop AND f.order_id = r.order_id
		WHERE r.recipe_id = 'review-request-timing' AND f.delivered_at IS NOT NULL
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "recipe_runs_mark_daily_facts_insert" AFTER INSERT ON "recipe_runs"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "recipe_runs_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "recipe_runs_mark_daily_facts_update" AFTER UPDATE ON "recipe_runs"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "recipe_runs_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "recipe_runs_mark_daily_facts_delete" AFTER DELETE ON "recipe_runs"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "recipe_runs_mark_daily_facts"();
--> statement-breakpoint
-- A ticket marks the day it was updated. Whether it asks "where is my order" depends on the
-- parcels of its customer (matched by email) shipped in the 30 days before it, so a parcel, an
-- order (its customer) and a customer (their email) mark the days of the tickets they may change.
CREATE FUNCTION "gorgias_tickets_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT shop, (source_updated_at AT TIME ZONE 'UTC')::date FROM new_rows
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT shop, (source_updated_at AT TIME ZONE 'UTC')::date FROM old_rows
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "gorgias_tickets_mark_daily_facts_insert" AFTER INSERT ON "gorgias_tickets"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "gorgias_tickets_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "gorgias_tickets_mark_daily_facts_update" AFTER UPDATE ON "gorgias_tickets"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "gorgias_tickets_mark_daily_facts"();
--> statement-breakpoint
CREATE TRIGGER "gorgias_tickets_mark_daily_facts_delete" AFTER DELETE ON "gorgias_tickets"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "gorgias_tickets_mark_daily_facts"();
--> statement-breakpoint
CREATE FUNCTION "fulfillments_mark_wismo_tickets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM new_rows x
		JOIN orders o ON o.shop = x.shop AND o.id = x.order_id
		JOIN customers c ON c.shop = o.shop AND c.id = o.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= x.created_at AND t.source_updated_at < x.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM old_rows x
		JOIN orders o ON o.shop = x.shop AND o.id = x.order_id
		JOIN customers c ON c.shop = o.shop AND c.id = o.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= x.created_at AND t.source_updated_at < x.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	ELSE
		-- Only rows whose change can move a ticket in or out of "where is my order".
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM (
			SELECT n.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE p.created_at IS DISTINCT FROM n.created_at OR p.delivered_at IS DISTINCT FROM n.delivered_at OR p.order_id <> n.order_id
			UNION ALL
			SELECT p.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE p.created_at IS DISTINCT FROM n.created_at OR p.delivered_at IS DISTINCT FROM n.delivered_at OR p.order_id <> n.order_id
		) x
		JOIN orders o ON o.shop = x.shop AND o.id = x.order_id
		JOIN customers c ON c.shop = o.shop AND c.id = o.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= x.created_at AND t.source_updated_at < x.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_wismo_tickets_insert" AFTER INSERT ON "fulfillments"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_wismo_tickets_update" AFTER UPDATE ON "fulfillments"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "fulfillments_mark_wismo_tickets_delete" AFTER DELETE ON "fulfillments"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "fulfillments_mark_wismo_tickets"();
--> statement-breakpoint
CREATE FUNCTION "orders_mark_wismo_tickets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM new_rows x
		JOIN fulfillments f ON f.shop = x.shop AND f.order_id = x.id
		JOIN customers c ON c.shop = x.shop AND c.id = x.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= f.created_at AND t.source_updated_at < f.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM old_rows x
		JOIN fulfillments f ON f.shop = x.shop AND f.order_id = x.id
		JOIN customers c ON c.shop = x.shop AND c.id = x.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= f.created_at AND t.source_updated_at < f.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	ELSE
		-- Only rows whose change can move a ticket in or out of "where is my order".
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM (
			SELECT n.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE p.customer_id IS DISTINCT FROM n.customer_id
			UNION ALL
			SELECT p.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE p.customer_id IS DISTINCT FROM n.customer_id
		) x
		JOIN fulfillments f ON f.shop = x.shop AND f.order_id = x.id
		JOIN customers c ON c.shop = x.shop AND c.id = x.customer_id
		JOIN gorgias_tickets t ON t.shop = c.shop AND t.customer_email = lower(c.email)
			AND t.source_updated_at >= f.created_at AND t.source_updated_at < f.created_at + interval '30 days'
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "orders_mark_wismo_tickets_insert" AFTER INSERT ON "orders"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "orders_mark_wismo_tickets_update" AFTER UPDATE ON "orders"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "orders_mark_wismo_tickets_delete" AFTER DELETE ON "orders"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "orders_mark_wismo_tickets"();
--> statement-breakpoint
CREATE FUNCTION "customers_mark_wismo_tickets"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM new_rows x
		JOIN gorgias_tickets t ON t.shop = x.shop AND t.customer_email = lower(x.email)
		ON CONFLICT DO NOTHING;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM old_rows x
		JOIN gorgias_tickets t ON t.shop = x.shop AND t.customer_email = lower(x.email)
		ON CONFLICT DO NOTHING;
	ELSE
		-- Only rows whose change can move a ticket in or out of "where is my order".
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT t.shop, (t.source_updated_at AT TIME ZONE 'UTC')::date
		FROM (
			SELECT n.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE lower(p.email) IS DISTINCT FROM lower(n.email)
			UNION ALL
			SELECT p.* FROM new_rows n JOIN old_rows p ON p.shop = n.shop AND p.id = n.id WHERE lower(p.email) IS DISTINCT FROM lower(n.email)
		) x
		JOIN gorgias_tickets t ON t.shop = x.shop AND t.customer_email = lower(x.email)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "customers_mark_wismo_tickets_insert" AFTER INSERT ON "customers"
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "customers_mark_wismo_tickets_update" AFTER UPDATE ON "customers"
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_mark_wismo_tickets"();
--> statement-breakpoint
CREATE TRIGGER "customers_mark_wismo_tickets_delete" AFTER DELETE ON "customers"
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers_mark_wismo_tickets"();
