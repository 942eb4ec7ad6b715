import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button } from "@shopify/polaris";
import { useMemo } from "react";
import { useResultToast } from "../../../components/useFetcherResult";
import { useMessages } from "../../../i18n/react";
import type { ReplayResult } from "../activity.server";
import { activityMessages } from "../messages";

/** Retries a job that gave up (the route's action), saying why when it cannot. */
export function RetryButton({ id, label }: { id: number; label: string }) {
  const fetcher = useFetcher<ReplayResult>();
  const t = useMessages(activityMessages);
  // The row leaves the list once its job is queued again: say so where App Bridge can.
  const retried = useMemo(
    () => (fetcher.data?.ok ? { ok: true, message: t("retried", { label }) } : undefined),
    [fetcher.data, label, t],
  );
  useResultToast(retried);
  return (
    <BlockStack gap="200" inlineAlign="end">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="replay" />
        <input type="hidden" name="id" value={id} />
        <Button
          submit
          loading={fetcher.state !== "idle"}
          accessibilityLabel={t("retryLabel", { label })}
        >
          {t("retry")}
        </Button>
      </fetcher.Form>
      {fetcher.data && !fetcher.data.ok ? (
        <Banner tone="critical">{fetcher.data.error}</Banner>
      ) : null}
    </BlockStack>
  );
}
