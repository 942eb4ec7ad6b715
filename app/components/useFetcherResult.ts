import { useEffect, useState } from "react";

/**
 * Calls `onResult` once for each new answer a fetcher gets, while rendering (React's "adjust
 * state when a value changes" pattern: no effect, no extra paint with stale state).
 */
export function useFetcherResult<T>(
  fetcher: { state: string; data: T | undefined },
  onResult: (data: T) => void,
) {
  const [seen, setSeen] = useState<T | undefined>(undefined);
  if (fetcher.state === "idle" && fetcher.data !== undefined && fetcher.data !== seen) {
    setSeen(fetcher.data);
    onResult(fetcher.data);
  }
}

/** Shows a toast (App Bridge) for each new successful answer that carries a message. */
export function useResultToast(data: { ok: boolean; message?: string } | undefined) {
  useEffect(() => {
    if (!data?.ok || !data.message) return;
    const shopify = (window as { shopify?: { toast?: { show(message: string): void } } }).shopify;
    shopify?.toast?.show(data.message);
  }, [data]);
}
