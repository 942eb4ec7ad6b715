CREATE TABLE "rate_limit_buckets" (
	"shop" text NOT NULL,
	"vendor" text NOT NULL,
	"bucket" text NOT NULL,
	"slots" bigint[] DEFAULT '{}' NOT NULL,
	"counts" integer[] DEFAULT '{}' NOT NULL,
	"blocked_until_ms" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_limit_buckets_shop_vendor_bucket_pk" PRIMARY KEY("shop","vendor","bucket")
);
--> statement-breakpoint
-- Takes one request from a shop's budgets at a vendor, or says how long to wait; one statement,
-- so every process spends the same budget (app/integrations/rate-limiter.server.ts).
-- p_limits[i] requests in any p_windows[i] ms: each window is counted in 10 slots of
-- ceil(window / 10) ms, and a request goes only if every slot that overlaps
-- [now - window, now] holds fewer than the limit in total. That is never looser than a sliding
-- window (so never looser than the vendors' fixed windows or leaky buckets) and at worst
-- 1/11 slower. Returns 0 when the request was counted, else the ms until it could be.
CREATE FUNCTION "rate_limit_take"(
	p_shop text, p_vendor text, p_bucket text, p_now bigint, p_limits integer[], p_windows bigint[]
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	slot_count constant integer := 10;
	width constant integer := slot_count + 1;
	budgets constant integer := array_length(p_limits, 1);
	v_slots bigint[];
	v_counts integer[];
	v_blocked bigint;
	wait bigint;
	b integer;
	pos integer;
	slot_ms bigint;
	newest bigint;
	oldest bigint;
	k bigint;
	used integer;
	freed integer;
	budget_wait bigint;
BEGIN
	-- A count lost in a server crash costs at most one vendor 429, which is honoured anyway:
	-- not worth a disk flush on every vendor call. (So call it as its own statement, never
	-- inside a transaction whose other writes must be durable.)
	PERFORM set_config('synchronous_commit', 'off', true);
	SELECT slots, counts, blocked_until_ms INTO v_slots, v_counts, v_blocked
	FROM rate_limit_buckets
	WHERE shop = p_shop AND vendor = p_vendor AND bucket = p_bucket
	FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO rate_limit_buckets (shop, vendor, bucket, updated_at)
		VALUES (p_shop, p_vendor, p_bucket, to_timestamp(p_now / 1000.0))
		ON CONFLICT (shop, vendor, bucket) DO NOTHING;
		SELECT slots, counts, blocked_until_ms INTO v_slots, v_counts, v_blocked
		FROM rate_limit_buckets
		WHERE shop = p_shop AND vendor = p_vendor AND bucket = p_bucket
		FOR UPDATE;
	END IF;
	-- A new row, a 429's row, or budgets changed in code: start counting afresh.
	IF coalesce(array_length(v_counts, 1), 0) <> budgets * width THEN
		v_slots := array_fill(-1::bigint, ARRAY[budgets * width]);
		v_counts := array_fill(0, ARRAY[budgets * width]);
	END IF;
	wait := greatest(0, v_blocked - p_now);
	FOR b IN 0..budgets - 1 LOOP
		slot_ms := (p_windows[b + 1] + slot_count - 1) / slot_count;
		newest := p_now / slot_ms;
		oldest := (p_now - p_windows[b + 1]) / slot_ms;
		used := 0;
		FOR pos IN b * width + 1..(b + 1) * width LOOP
			IF v_slots[pos] >= oldest THEN
				used := used + v_counts[pos];
			END IF;
		END LOOP;
		IF used >= p_limits[b + 1] THEN
			-- Wait until enough of the oldest slots have left the window.
			budget_wait := p_windows[b + 1];
			freed := 0;
			k := oldest;
			WHILE k <= newest LOOP
				pos := b * width + (k % width)::integer + 1;
				IF v_slots[pos] = k THEN
					freed := freed + v_counts[pos];
				END IF;
				IF used - freed < p_limits[b + 1] THEN
					budget_wait := (k + 1) * slot_ms + p_windows[b + 1] - p_now;
					EXIT;
				END IF;
				k := k + 1;
			END LOOP;
			wait := greatest(wait, budget_wait);
		END IF;
	END LOOP;
	IF wait > 0 THEN
		RETURN wait;
	END IF;
	FOR b IN 0..budgets - 1 LOOP
		slot_ms := (p_windows[b + 1] + slot_count - 1) / slot_count;
		newest := p_now / slot_ms;
		pos := b * width + (newest % width)::integer + 1;
		-- A slot stamped later (another process's clock a little ahead) keeps its count.
		IF v_slots[pos] >= newest THEN
			v_counts[pos] := v_counts[pos] + 1;
		ELSE
			v_slots[pos] := newest;
			v_counts[pos] := 1;
		END IF;
	END LOOP;
	UPDATE rate_limit_buckets
	SET slots = v_slots, counts = v_counts, updated_at = to_timestamp(p_now / 1000.0)
	WHERE shop = p_shop AND vendor = p_vendor AND bucket = p_bucket;
	RETURN 0;
END;
$$;
