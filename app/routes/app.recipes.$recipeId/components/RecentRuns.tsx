import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { RunOutcome } from "../../../../db/schema/recipes";
import { useFormatTime } from "../../../components/shop-time";
import { ACTION_STATUS_LABELS, OutcomeBadge } from "./OutcomeBadge";

interface RunView {
  id: number;
  trigger: string;
  subject: string | null;
  outcome: RunOutcome;
  reasons: string[];
  actions: { summary: string; status: string }[];
  createdAt: string;
}

export function RecentRuns({ runs, activityUrl }: { runs: RunView[]; activityUrl: string }) {
  const formatTime = useFormatTime();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Recent runs
          </Text>
          <Button variant="plain" url={activityUrl}>
            All in Activity
          </Button>
        </InlineStack>
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            None yet. Runs appear as your store's events arrive.
          </Text>
        ) : (
          runs.map((run) => (
            <BlockStack key={run.id} gap="100">
              <InlineStack gap="200" blockAlign="center">
                <OutcomeBadge outcome={run.outcome} />
                <Text as="span" fontWeight="semibold">
                  {run.subject ?? run.trigger}
                </Text>
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {formatTime(run.createdAt)} · {run.trigger}
              </Text>
              {run.actions.map((a, i) => (
                <Text key={i} as="p" variant="bodySm">
                  {a.summary} — {ACTION_STATUS_LABELS[a.status] ?? a.status}
                </Text>
              ))}
              {run.reasons.length ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {run.reasons.join("; ")}
                </Text>
              ) : null}
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
