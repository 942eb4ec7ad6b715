import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import type { Translate } from "../../../i18n/messages";
import { useMessages } from "../../../i18n/react";
import { useRecipeTitle } from "../format";
import { activityMessages } from "../messages";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

type DeadLetter = ActivityData["deadLetters"][number];

/** Which job gave up and how, for support (behind the disclosure). */
function jobDetails(letter: DeadLetter, t: Translate<(typeof activityMessages)["en"]>) {
  return t("taskDetails", {
    task: letter.task,
    key: letter.jobKey,
    how: letter.errorKind === "terminal" ? t("refused") : t("gaveUp", { count: letter.attempts }),
  });
}

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
          <RetryButton ids={[letter.id]} label={letter.line.what} />
        </InlineStack>
        <TechnicalDetails id={`dead-letter-${letter.id}`}>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            {jobDetails(letter, t)}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            {letter.error}
          </Text>
        </TechnicalDetails>
      </BlockStack>
    </Card>
  );
}

/** How many of a group's failures are named before "and N more". */
const NAMED_IN_GROUP = 5;

/** Several jobs that gave up for the same reason (an outage): one problem, one card, Retry all. */
function DeadLetterGroup({ letters }: { letters: DeadLetter[] }) {
  const formatTime = useFormatTime();
  const t = useMessages(activityMessages);
  const recipeTitle = useRecipeTitle();
  const first = letters[0]!;
  const recipes = [
    ...new Set(
      letters.flatMap((l) => (l.delivery?.recipe ? [recipeTitle(l.delivery.recipe)] : [])),
    ),
  ];
  const latest = letters.reduce((a, b) => (a.failedAt > b.failedAt ? a : b));
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone="critical">{t("failed")}</Badge>
              <Text as="h3" variant="headingSm">
                {t("sameReason", { count: letters.length })}
              </Text>
            </InlineStack>
            <Text as="p" tone="critical" breakWord>
              {first.line.why}
            </Text>
            <BlockStack as="ul" gap="050">
              {letters.slice(0, NAMED_IN_GROUP).map((letter) => (
                <li key={letter.id}>
                  <Text as="span" variant="bodySm">
                    {letter.line.what}
                  </Text>
                </li>
              ))}
              {letters.length > NAMED_IN_GROUP ? (
                <li>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("andMore", { count: letters.length - NAMED_IN_GROUP })}
                  </Text>
                </li>
              ) : null}
            </BlockStack>
            <Text as="p" variant="bodySm" tone="subdued">
              {[...recipes, t("failedAt", { when: formatTime(latest.failedAt) })].join(" · ")}
            </Text>
          </BlockStack>
          <RetryButton ids={letters.map((l) => l.id)} label={first.line.why} />
        </InlineStack>
        <TechnicalDetails id={`dead-letters-${first.id}`}>
          {letters.map((letter) => (
            <Text key={letter.id} as="p" variant="bodySm" tone="subdued" breakWord>
              {jobDetails(letter, t)}
            </Text>
          ))}
          <Text as="p" variant="bodySm" tone="subdued" breakWord>
            {first.error}
          </Text>
        </TechnicalDetails>
      </BlockStack>
    </Card>
  );
}

/** Jobs that gave up, grouped by why they failed, in the order their newest failure came. */
function byReason(letters: DeadLetter[]): DeadLetter[][] {
  const groups = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const group = groups.get(letter.line.why);
    if (group) group.push(letter);
    else groups.set(letter.line.why, [letter]);
  }
  return [...groups.values()];
}

/**
 * Jobs that gave up, above the tabs: one card per reason (an outage is one problem, however many
 * jobs it failed), each with Retry (the route's action).
 */
export function DeadLetters({ letters }: { letters: DeadLetter[] }) {
  const t = useMessages(activityMessages);
  const groups = byReason(letters);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        {t("needsAttention", { count: groups.length })}
      </Text>
      {groups.map((group) =>
        group.length === 1 ? (
          <DeadLetterRow key={group[0]!.id} letter={group[0]!} />
        ) : (
          <DeadLetterGroup key={group[0]!.id} letters={group} />
        ),
      )}
    </BlockStack>
  );
}
