import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button } from "@shopify/polaris";
import type { ReplayResult } from "../activity.server";

/** Retries a job that gave up (the route's action), saying why when it cannot. */
export function RetryButton({ id, label }: { id: number; label: string }) {
  const fetcher = useFetcher<ReplayResult>();
  return (
    <BlockStack gap="200" inlineAlign="end">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="replay" />
        <input type="hidden" name="id" value={id} />
        <Button submit loading={fetcher.state !== "idle"} accessibilityLabel={`Retry: ${label}`}>
          Retry
        </Button>
      </fetcher.Form>
      {fetcher.data && !fetcher.data.ok ? (
        <Banner tone="critical">{fetcher.data.error}</Banner>
      ) : null}
    </BlockStack>
  );
}
