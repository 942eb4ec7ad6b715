-- An order's update marks its customer's next two orders' days only when it moves among that
-- customer's orders (another customer, another time): a payment or fulfillment status arriving
-- late changes only its own day's facts, and a day of such webhooks must not have the next report
-- recompute the days of every changed order's customer's later orders (docs/gap-report.md,
-- "Performance"). Inserts and deletes mark them as before.
CREATE OR REPLACE FUNCTION "orders_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		-- "moved": the row's customer or time changed (or it has no counterpart: its key changed).
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT o.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM (
			SELECT n.shop, n.id, n.customer_id, n.created_at,
				p.id IS NULL OR p.customer_id IS DISTINCT FROM n.customer_id OR p.created_at IS DISTINCT FROM n.created_at AS moved
			FROM new_rows n LEFT JOIN old_rows p ON p.shop = n.shop AND p.id = n.id
			UNION ALL
			SELECT p.shop, p.id, p.customer_id, p.created_at,
				n.id IS NULL OR n.customer_id IS DISTINCT FROM p.customer_id OR n.created_at IS DISTINCT FROM p.created_at
			FROM old_rows p LEFT JOIN new_rows n ON n.shop = p.shop AND n.id = p.id
		) o
		CROSS JOIN LATERAL (
			SELECT o.created_at
			UNION ALL
			(SELECT x.created_at FROM orders x
			WHERE o.moved AND x.shop = o.shop AND x.customer_id = o.customer_id AND (x.created_at, x.id) > (o.created_at, o.id)
			ORDER BY x.created_at, x.id LIMIT 2)
		) d(at)
		ON CONFLICT DO NOTHING;
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
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
	ELSE
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
-- Likewise a parcel's update (a tracking event, its delivery) marks its order's day (time to first
-- shipment) only when the parcel's time or order changed; its own days as before.
CREATE OR REPLACE FUNCTION "fulfillments_mark_daily_facts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		INSERT INTO shop_daily_dirty (shop, utc_day)
		SELECT DISTINCT f.shop, (d.at AT TIME ZONE 'UTC')::date
		FROM (
			SELECT n.shop, n.order_id, n.created_at, n.delivered_at,
				p.id IS NULL OR p.order_id IS DISTINCT FROM n.order_id OR p.created_at IS DISTINCT FROM n.created_at AS moved
			FROM new_rows n LEFT JOIN old_rows p ON p.shop = n.shop AND p.id = n.id
			UNION ALL
			SELECT p.shop, p.order_id, p.created_at, p.delivered_at,
				n.id IS NULL OR n.order_id IS DISTINCT FROM p.order_id OR n.created_at IS DISTINCT FROM p.created_at
			FROM old_rows p LEFT JOIN new_rows n ON n.shop = p.shop AND n.id = p.id
		) f
		CROSS JOIN LATERAL (
			SELECT f.created_at
			UNION ALL
			SELECT f.delivered_at
			UNION ALL
			SELECT o.created_at FROM orders o WHERE f.moved AND o.shop = f.shop AND o.id = f.order_id
		) d(at)
		WHERE d.at IS NOT NULL
		ON CONFLICT DO NOTHING;
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
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
	ELSE
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
