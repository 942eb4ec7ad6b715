import { useEffect } from "react";
import type { ActionResult } from "../validator";

/**
 * Shows a successful action's message as an App Bridge toast when App Bridge is there. Without
 * it (opened outside Admin, or its script could not load) the inline banner is all there is.
 */
export function useResultToast(result: ActionResult | undefined) {
  useEffect(() => {
    if (!result?.ok || !result.message) return;
    const shopify = (window as { shopify?: { toast?: { show(message: string): void } } }).shopify;
    shopify?.toast?.show(result.message);
  }, [result]);
}
