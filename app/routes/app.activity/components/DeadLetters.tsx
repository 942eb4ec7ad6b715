import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { recipeTitle } from "../format";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

type DeadLetter = ActivityData["deadLetters"][number];

function DeadLetterRow({ letter }: { letter: DeadLetter }) {
  const formatTime = useFormatTime();
  const recipe = letter.delivery?.recipe;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone="critical">Failed</Badge>
              <Text as="h3" variant="headingSm">
                {letter.line.what}
              </Text>
            </InlineStack>
            <Text as="p" tone="critical" breakWord>
              {letter.line.why}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {[recipe ? recipeTitle(recipe) : null, `failed ${formatTime(letter.failedAt)}`]
                .filter(Boolean)
                .join(" · ")}
            </Text>
          </BlockStack>
          <RetryButton id={letter.id} label={letter.line.what} />
        </InlineStack>
        <TechnicalDetails id={`dead-letter-${letter.id}`}>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            Task {letter.task} · job {letter.jobKey} ·{" "}
            {letter.errorKind === "terminal" ? "refused" : `gave up after ${letter.attempts} tries`}
          </Text>
        </TechnicalDetails>
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
