CREATE TABLE "gap_reports" (
	"shop" text NOT NULL,
	"window_days" integer NOT NULL,
	"report" jsonb,
	"computed_at" timestamp with time zone,
	"requested_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "gap_reports_shop_window_days_pk" PRIMARY KEY("shop","window_days")
);
