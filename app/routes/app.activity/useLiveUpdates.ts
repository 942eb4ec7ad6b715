import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

/** How often the open screen asks for what is new. */
export const LIVE_INTERVAL_MS = 5_000;

/**
 * Reloads the loader's data every few seconds while the page is visible and nothing else is
 * loading; React keeps what is open (disclosures, filters) across the reload. Returns what the
 * screen says about freshness ("Updated just now"), measured on the browser's own clock.
 */
export function useLiveUpdates(data: unknown): string {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const busy = revalidator.state !== "idle" || navigation.state !== "idle";
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [now, setNow] = useState<number | null>(null);

  useEffect(() => {
    setUpdatedAt(Date.now());
  }, [data]);

  useEffect(() => {
    const tick = () => {
      setNow(Date.now());
      if (document.visibilityState === "visible" && !busy) revalidator.revalidate();
    };
    const timer = setInterval(tick, LIVE_INTERVAL_MS);
    // Coming back to the tab refreshes at once rather than at the next tick.
    const onVisible = () => document.visibilityState === "visible" && tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [busy, revalidator]);

  if (updatedAt === null || now === null || now - updatedAt < 15_000) return "Updated just now";
  const seconds = Math.round((now - updatedAt) / 1000);
  return seconds < 90
    ? `Updated ${seconds} seconds ago`
    : `Updated ${Math.round(seconds / 60)} minutes ago`;
}
