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
import { formatScore, LEVEL_NAMES, versusTypical } from "../format";
import { ScoreBars } from "./ScoreBars";
import { TrendChart } from "./TrendChart";

/** One zone: its score beside stores its size, its measures, and its score week by week. */
export function ZoneCard({ zone, trend }: { zone: ZoneScore; trend: TrendPoint[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="baseline" gap="200">
            <Text as="h3" variant="headingMd">
              {zone.label}
            </Text>
            <Text as="p" variant="headingLg">
              {zone.score === null ? "Not scored" : `${formatScore(zone.score)} of 3`}
            </Text>
          </InlineStack>
          <Text as="p" tone="subdued">
            {versusTypical(zone)} Typical: {formatScore(zone.typical)}.
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
                Week by week
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
  return (
    <Box paddingBlockStart="300" borderBlockStartWidth="025" borderColor="border-secondary">
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h4" variant="headingSm">
            {measure.label}
          </Text>
          {measure.level === null ? (
            <Badge>Not measured</Badge>
          ) : (
            <Badge
              tone={measure.level >= 2 ? "success" : measure.level === 1 ? "attention" : "critical"}
            >
              {`Level ${measure.level} · ${LEVEL_NAMES[measure.level]}`}
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
            accessibilityLabel={`How ${measure.label.toLowerCase()} is measured`}
          >
            {open ? "Hide how it is measured" : "How it is measured"}
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
