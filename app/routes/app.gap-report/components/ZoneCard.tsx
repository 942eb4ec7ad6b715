import { Link as RemixLink } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  InlineStack,
  Text,
} from "@shopify/polaris";
import { useId, useState } from "react";
import { useAppPath } from "../../../components/useAppPath";
import type { Measure, TrendPoint, ZoneScore } from "../../../models/gap-report/types";
import { formatScore, levelName, versusTypical } from "../format";
import { ScoreBars } from "./ScoreBars";
import { TrendChart } from "./TrendChart";
import { intlLocale } from "../../../i18n/locale";
import { useLocale, useMessages } from "../../../i18n/react";
import { gapScreenMessages } from "../messages";

/** One zone: its score beside stores its size, its measures, and its score week by week. */
export function ZoneCard({ zone, trend }: { zone: ZoneScore; trend: TrendPoint[] }) {
  const t = useMessages(gapScreenMessages);
  const locale = intlLocale(useLocale());
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="baseline" gap="200">
            <Text as="h3" variant="headingMd">
              {zone.label}
            </Text>
            <Text as="p" variant="headingLg">
              {zone.score === null
                ? t("notScored")
                : t("scoreOf3", { score: formatScore(zone.score, locale) })}
            </Text>
          </InlineStack>
          <Text as="p" tone="subdued">
            {versusTypical(t, zone, locale)}{" "}
            {t("typical", { score: formatScore(zone.typical, locale) })}
          </Text>
        </BlockStack>
        <ScoreBars zone={zone.label} score={zone.score} typical={zone.typical} />
        <BlockStack gap="300">
          {zone.measures.map((measure) => (
            <MeasureRow key={measure.id} measure={measure} />
          ))}
        </BlockStack>
        {trend.length > 0 ? (
          <div className="gap-report-screen-only">
            <BlockStack gap="100">
              <Text as="h4" variant="headingSm">
                {t("weekByWeek")}
              </Text>
              <TrendChart zone={zone.zone} label={zone.label} trend={trend} />
            </BlockStack>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function MeasureRow({ measure }: { measure: Measure }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const appPath = useAppPath();
  const t = useMessages(gapScreenMessages);
  return (
    <Box paddingBlockStart="300" borderBlockStartWidth="025" borderColor="border-secondary">
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h4" variant="headingSm">
            {measure.label}
          </Text>
          {measure.level === null ? (
            <Badge>{t("notMeasured")}</Badge>
          ) : (
            <Badge
              tone={measure.level >= 2 ? "success" : measure.level === 1 ? "attention" : "critical"}
            >
              {t("levelBadge", { level: measure.level, name: levelName(t, measure.level) })}
            </Badge>
          )}
        </InlineStack>
        {measure.missing ? (
          <Text as="p" tone="caution">
            {measure.missing.reason}
            {measure.missing.fix ? (
              <>
                {" "}
                <RemixLink to={appPath(measure.missing.fix.url)}>
                  {measure.missing.fix.label}
                </RemixLink>
              </>
            ) : null}
          </Text>
        ) : (
          <Text as="p">
            <Text as="span" fontWeight="semibold">
              {measure.display}
            </Text>
            {measure.context ? ` ${measure.context}` : null}
          </Text>
        )}
        <div className="gap-report-screen-only">
          <Button
            variant="plain"
            onClick={() => setOpen((value) => !value)}
            ariaExpanded={open}
            ariaControls={detailsId}
            accessibilityLabel={t("howMeasuredLabel", { measure: measure.label.toLowerCase() })}
          >
            {open ? t("hideHowMeasured") : t("howMeasured")}
          </Button>
        </div>
        <Collapsible id={detailsId} open={open}>
          <BlockStack gap="100">
            <Text as="p" variant="bodySm">
              {measure.definition}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {measure.thresholds}
            </Text>
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </Box>
  );
}
