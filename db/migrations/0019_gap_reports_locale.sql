ALTER TABLE "gap_reports" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "gap_reports" DROP CONSTRAINT "gap_reports_shop_window_days_pk";--> statement-breakpoint
ALTER TABLE "gap_reports" ADD CONSTRAINT "gap_reports_shop_window_days_locale_pk" PRIMARY KEY("shop","window_days","locale");
