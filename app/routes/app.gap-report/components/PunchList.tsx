import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useAppPath } from "../../../components/useAppPath";
import { useResultToast } from "../../../components/useFetcherResult";
import type { ZoneScore } from "../../../models/gap-report/types";
import type { GapReportActionResult, ScreenPunchItem } from "../gap-report-screen.server";
import { intlLocale } from "../../../i18n/locale";
import { useLocale, useMessages } from "../../../i18n/react";
import { gapScreenMessages } from "../messages";

/** The gaps ranked by the money at stake, each with its arithmetic and the recipe that closes it. */
export function PunchList({
  items,
  zones,
  windowDisplay,
}: {
  items: ScreenPunchItem[];
  zones: ZoneScore[];
  windowDisplay: string;
}) {
  const zoneLabel = new Map(zones.map((zone) => [zone.zone, zone.label]));
  const t = useMessages(gapScreenMessages);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingLg">
            {t("punchHeading")}
          </Text>
          <Text as="p" tone="subdued">
            {items.length === 0
              ? t("punchEmpty", { window: windowDisplay })
              : t("punchRanked", { window: windowDisplay })}
          </Text>
        </BlockStack>
        <ol style={{ margin: 0, paddingInlineStart: 0, listStyle: "none" }}>
          <BlockStack gap="300">
            {items.map((item, index) => (
              <li key={item.id} data-punch-item>
                <PunchItemRow item={item} rank={index + 1} zone={zoneLabel.get(item.zone) ?? ""} />
              </li>
            ))}
          </BlockStack>
        </ol>
      </BlockStack>
    </Card>
  );
}

function PunchItemRow({ item, rank, zone }: { item: ScreenPunchItem; rank: number; zone: string }) {
  const fetcher = useFetcher<GapReportActionResult>();
  const appPath = useAppPath();
  const switching = fetcher.state !== "idle";
  const switchedOn = fetcher.data?.ok === true && fetcher.data.intent === "switch-on";
  useResultToast(fetcher.state === "idle" && fetcher.data?.ok ? fetcher.data : undefined);
  const recipe = item.recipe;
  const t = useMessages(gapScreenMessages);
  const listFormat = new Intl.ListFormat(intlLocale(useLocale()), { type: "conjunction" });
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="050">
            <Text as="h3" variant="headingMd">
              {`${rank}. ${item.title}`}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {zone}
            </Text>
          </BlockStack>
          <Text as="p" variant="headingMd">
            {t("atStake", { amount: item.atStakeDisplay })}
          </Text>
        </InlineStack>
        <Box background="bg-surface-secondary" padding="200" borderRadius="200">
          <BlockStack gap="050">
            {item.arithmetic.map((line) => (
              <Text key={line} as="p" variant="bodySm">
                {line}
              </Text>
            ))}
          </BlockStack>
        </Box>
        {fetcher.data && !fetcher.data.ok ? (
          <Banner
            tone="critical"
            action={
              "upgrade" in fetcher.data && fetcher.data.upgrade
                ? { content: t("seePlans"), url: appPath("/app/plan") }
                : undefined
            }
          >
            {fetcher.data.error}
          </Banner>
        ) : null}
        {recipe && !recipe.enabled && !switchedOn && recipe.missing.length > 0 ? (
          <Text as="p" tone="caution">
            {t("needs", { recipe: recipe.name, integrations: listFormat.format(recipe.missing) })}
            <RemixLink to={appPath("/app/integrations")}>
              {t("connectIt", { count: recipe.missing.length })}
            </RemixLink>
            .
          </Text>
        ) : null}
        {recipe?.enabled ? (
          <Text as="p" tone="subdued">
            {t("alreadyOn", { recipe: recipe.name })}
          </Text>
        ) : null}
        {recipe ? (
          <InlineStack gap="200" align="end" blockAlign="center">
            <RemixLink to={appPath(`/app/recipes/${recipe.id}`)}>
              {recipe.enabled
                ? t("reviewSettings", { recipe: recipe.name })
                : t("preview", { recipe: recipe.name })}
            </RemixLink>
            {recipe.enabled || switchedOn ? (
              <Badge tone="success">{t("on")}</Badge>
            ) : (
              <div className="gap-report-screen-only">
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="switch-on" />
                  <input type="hidden" name="recipeId" value={recipe.id} />
                  <Button
                    submit
                    variant="primary"
                    loading={switching}
                    disabled={recipe.missing.length > 0}
                  >
                    {t("switchOn", { recipe: recipe.name })}
                  </Button>
                </fetcher.Form>
              </div>
            )}
          </InlineStack>
        ) : null}
      </BlockStack>
    </Box>
  );
}
