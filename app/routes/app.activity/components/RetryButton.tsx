import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button } from "@shopify/polaris";
import { useMemo } from "react";
import { useResultToast } from "../../../components/useFetcherResult";
import { useMessages } from "../../../i18n/react";
import type { ReplayResult } from "../activity.server";
import { activityMessages } from "../messages";

/**
 * Retries a job that gave up (the route's action), or every job of a group that failed for one
 * reason, saying why when it cannot.
 */
export function RetryButton({ ids, label }: { ids: number[]; label: string }) {
  const fetcher = useFetcher<ReplayResult>();
  const t = useMessages(activityMessages);
  const many = ids.length > 1;
  // The row leaves the list once its job is queued again: say so where App Bridge can.
  const retried = useMemo(
    () =>
      fetcher.data?.ok
        ? {
            ok: true,
            message: many ? t("retriedAll", { count: ids.length }) : t("retried", { label }),
          }
        : undefined,
    [fetcher.data, label, t, many, ids.length],
  );
  useResultToast(retried);
  return (
    <BlockStack gap="200" inlineAlign="end">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="replay" />
        {ids.map((each) => (
          <input key={each} type="hidden" name="id" value={each} />
        ))}
        <Button
          submit
          loading={fetcher.state !== "idle"}
          accessibilityLabel={
            many
              ? t("retryAllLabel", { count: ids.length, why: label })
              : t("retryLabel", { label })
          }
        >
          {many ? t("retryAll", { count: ids.length }) : t("retry")}
        </Button>
      </fetcher.Form>
      {fetcher.data && !fetcher.data.ok ? (
        <Banner tone="critical">{fetcher.data.error}</Banner>
      ) : null}
    </BlockStack>
  );
}
