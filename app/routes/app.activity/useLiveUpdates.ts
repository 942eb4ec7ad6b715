import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useMessages } from "../../i18n/react";
import { activityMessages } from "./messages";

/** How often the open screen asks for what is new. */
export const LIVE_INTERVAL_MS = 5_000;

/**
 * Reloads the loader's data every few seconds while the page is visible and nothing else is
 * loading; React keeps what is open (disclosures, filters) across the reload. Returns what the
 * screen says about freshness ("Updated just now"): an age measured with the browser's
 * monotonic clock, so neither the server's clock nor the browser's date matters.
 */
export function useLiveUpdates(data: unknown): string {
  const { revalidate, state } = useRevalidator();
  const navigation = useNavigation();
  const busy = state !== "idle" || navigation.state !== "idle";
  const latest = useRef(data);
  const seen = useRef<{ data: unknown; at: number } | null>(null);
  const [ageMs, setAgeMs] = useState(0);
  const t = useMessages(activityMessages);

  useEffect(() => {
    latest.current = data;
  }, [data]);

  useEffect(() => {
    const tick = () => {
      const now = performance.now();
      const last =
        seen.current && seen.current.data === latest.current
          ? seen.current
          : { data: latest.current, at: now };
      seen.current = last;
      setAgeMs(now - last.at);
      if (document.visibilityState === "visible" && !busy) revalidate();
    };
    const timer = setInterval(tick, LIVE_INTERVAL_MS);
    // Coming back to the tab refreshes at once rather than at the next tick.
    const onVisible = () => document.visibilityState === "visible" && tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [busy, revalidate]);

  if (ageMs < 15_000) return t("updatedJustNow");
  const seconds = Math.round(ageMs / 1000);
  return seconds < 90
    ? t("updatedSeconds", { count: seconds })
    : t("updatedMinutes", { count: Math.round(seconds / 60) });
}
