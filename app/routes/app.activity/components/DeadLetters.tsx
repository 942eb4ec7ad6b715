import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { useMessages } from "../../../i18n/react";
import { useRecipeTitle } from "../format";
import { activityMessages } from "../messages";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

type DeadLetter = ActivityData["deadLetters"][number];

function DeadLetterRow({ letter }: { letter: DeadLetter }) {
  const formatTime = useFormatTime();
  const t = useMessages(activityMessages);
  const recipeTitle = useRecipeTitle();
  const recipe = letter.delivery?.recipe;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone="critical">{t("failed")}</Badge>
              <Text as="h3" variant="headingSm">
                {letter.line.what}
              </Text>
            </InlineStack>
            <Text as="p" tone="critical" breakWord>
              {letter.line.why}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {[
                recipe ? recipeTitle(recipe) : null,
                t("failedAt", { when: formatTime(letter.failedAt) }),
              ]
                .filter(Boolean)
                .join(" · ")}
            </Text>
          </BlockStack>
          <RetryButton id={letter.id} label={letter.line.what} />
        </InlineStack>
        <TechnicalDetails id={`dead-letter-${letter.id}`}>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            {t("taskDetails", {
              task: letter.task,
              key: letter.jobKey,
              how:
                letter.errorKind === "terminal"
                  ? t("refused")
                  : t("gaveUp", { count: letter.attempts }),
            })}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            {letter.error}
          </Text>
        </TechnicalDetails>
      </BlockStack>
    </Card>
  );
}

/** Jobs that gave up, above the tabs, each with a Retry button (the route's action). */
export function DeadLetters({ letters }: { letters: DeadLetter[] }) {
  const t = useMessages(activityMessages);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        {t("needsAttention", { count: letters.length })}
      </Text>
      {letters.map((letter) => (
        <DeadLetterRow key={letter.id} letter={letter} />
      ))}
    </BlockStack>
  );
}
