import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { ActivityData, ReplayResult } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";

type DeadLetter = ActivityData["deadLetters"][number];

function DeadLetterRow({ letter }: { letter: DeadLetter }) {
  const fetcher = useFetcher<ReplayResult>();
  const formatTime = useFormatTime();
  const busy = fetcher.state !== "idle";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {letter.task}
            </Text>
            <Badge tone="critical">
              {letter.errorKind === "terminal"
                ? "Refused"
                : `Gave up after ${letter.attempts} tries`}
            </Badge>
          </InlineStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="replay" />
            <input type="hidden" name="id" value={letter.id} />
            <Button submit loading={busy} accessibilityLabel={`Retry ${letter.jobKey}`}>
              Retry
            </Button>
          </fetcher.Form>
        </InlineStack>
        <Text as="p" tone="critical">
          {letter.error}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {letter.jobKey} · failed {formatTime(letter.failedAt)}
        </Text>
        {fetcher.data && !fetcher.data.ok ? (
          <Banner tone="critical">{fetcher.data.error}</Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** Jobs that gave up, above the tabs, each with a Retry button (the route's action). */
export function DeadLetters({ letters }: { letters: DeadLetter[] }) {
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        Needs attention ({letters.length})
      </Text>
      {letters.map((letter) => (
        <DeadLetterRow key={letter.id} letter={letter} />
      ))}
    </BlockStack>
  );
}
