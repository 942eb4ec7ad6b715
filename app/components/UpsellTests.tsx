import { Banner, BlockStack, Box, Button, DataTable, InlineStack, Text } from "@shopify/polaris";
import { translator } from "../i18n/messages";
import { useLocale, useMessages } from "../i18n/react";
import type { Locale } from "../i18n/locale";
import { useShopTime } from "./shop-time";
import { money, percent } from "./UpsellAnalytics";
import { messages } from "./UpsellTests.messages";
import {
  FOLLOW_ON_DAYS,
  MIN_BUYERS_PER_VERSION,
  type UpsellTestResult,
} from "../recipes/post-purchase-upsell/experiment-stats";

/** One rule's A/B test as the loaders pass it (app/models/upsell-experiments.server.ts). */
export type UpsellTestData = UpsellTestResult;

/** Ending a test by keeping a version: the page's action (Home posts it with a fetcher). */
export interface KeepVersionControl {
  keep(key: string, arm: "A" | "B"): void;
  /** The test and version being kept while the request runs. */
  busy: { key: string; arm: "A" | "B" } | null;
  /** Why the last request was refused, for the test it was about. */
  failed: { key: string; reason: "changed" | "invalid" } | null;
}

/** The A/B tests of the upsell's rules: versions side by side, the verdict and the lift. */
export function UpsellTests({
  tests,
  currency,
  days,
  control,
}: {
  tests: UpsellTestData[];
  currency: string | null;
  /** The window the results cover, in the shop's days. */
  days: number;
  control?: KeepVersionControl;
}) {
  const t = useMessages(messages);
  if (tests.length === 0) return null;
  return (
    <BlockStack gap="400">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("window", { days })}
        </Text>
      </BlockStack>
      {tests.map((test) => (
        <UpsellTest key={test.key} test={test} currency={currency} control={control} />
      ))}
      <Text as="p" variant="bodySm" tone="subdued">
        {t("definition", { days: FOLLOW_ON_DAYS })}
      </Text>
    </BlockStack>
  );
}

function UpsellTest({
  test,
  currency,
  control,
}: {
  test: UpsellTestData;
  currency: string | null;
  control?: KeepVersionControl;
}) {
  const locale = useLocale();
  const t = useMessages(messages);
  const time = useShopTime();
  const cash = (value: number | null) => money(value, currency, locale);
  const signed = (value: number) =>
    `${value > 0 ? "+" : value < 0 ? "−" : ""}${cash(Math.abs(value))}`;
  const rule = test.running
    ? test.ruleName
      ? t("ruleNamed", { name: test.ruleName })
      : t("ruleNumber", { number: (test.ruleIndex ?? 0) + 1 })
    : t("earlierRule");
  const split =
    test.testShare > 0 && test.holdoutShare > 0
      ? t("split", { b: test.testShare, holdout: test.holdoutShare })
      : test.testShare > 0
        ? t("splitNoHoldout", { b: test.testShare })
        : t("splitHoldoutOnly", { holdout: test.holdoutShare });
  const rows = test.versions.map((version) => [
    version.arm === "holdout" ? t("holdout") : t(version.arm === "A" ? "versionA" : "versionB"),
    version.offer ? offerText(version.offer, currency, locale) : t("noOffer"),
    String(version.buyers),
    version.arm === "holdout" ? "—" : String(version.accepted),
    version.arm === "holdout" ? "—" : String(version.charged),
    version.arm === "holdout" ? "—" : percent(version.conversion, locale),
    version.arm === "holdout" ? "—" : cash(version.revenue),
    cash(version.valuePerBuyer),
  ]);
  return (
    <Box
      padding="300"
      borderWidth="025"
      borderColor="border"
      borderRadius="200"
      id={`upsell-test-${test.key}`}
    >
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h4" variant="headingSm">
            {t("title", { rule })}
          </Text>
          <Text as="p" tone="subdued">
            {test.running ? split : t("ended")}{" "}
            {test.firstBuyerAt ? t("since", { date: time.date(test.firstBuyerAt) }) : t("noBuyers")}
          </Text>
        </BlockStack>
        <DataTable
          columnContentTypes={[
            "text",
            "text",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
          ]}
          headings={[
            t("version"),
            t("offer"),
            t("buyers"),
            t("accepted"),
            t("charged"),
            t("conversion"),
            t("revenue"),
            t("valuePerBuyer"),
          ]}
          rows={rows}
        />
        <ValueChart test={test} currency={currency} />
        {test.verdict ? (
          <Text as="p" fontWeight="semibold">
            {test.verdict.kind === "too-few"
              ? t("tooFew", { min: MIN_BUYERS_PER_VERSION, count: test.verdict.needed })
              : test.verdict.kind === "winner"
                ? t("winner", {
                    winner: test.verdict.winner,
                    loser: test.verdict.winner === "A" ? "B" : "A",
                    amount: cash(Math.abs(test.verdict.difference.estimate)),
                    low: signed(
                      test.verdict.winner === "B"
                        ? test.verdict.difference.low
                        : -test.verdict.difference.high,
                    ),
                    high: signed(
                      test.verdict.winner === "B"
                        ? test.verdict.difference.high
                        : -test.verdict.difference.low,
                    ),
                  })
                : t("noDifference", {
                    amount: signed(test.verdict.difference.estimate),
                    low: signed(test.verdict.difference.low),
                    high: signed(test.verdict.difference.high),
                  })}
          </Text>
        ) : null}
        {test.running && control ? <KeepVersion test={test} control={control} /> : null}
        {test.incremental.map(({ arm, difference }) => (
          <Text as="p" key={arm}>
            {difference
              ? t("incremental", {
                  arm,
                  amount: signed(difference.estimate),
                  low: signed(difference.low),
                  high: signed(difference.high),
                })
              : t("incrementalTooFew", { arm })}
          </Text>
        ))}
      </BlockStack>
    </Box>
  );
}

function offerText(
  offer: NonNullable<UpsellTestData["versions"][number]["offer"]>,
  currency: string | null,
  locale: Locale,
): string {
  const t = translator(messages, locale);
  const title = offer.title ?? t("unknownProduct");
  if (!offer.discount || offer.discount.value === 0) return title;
  const discount =
    offer.discount.type === "percentage"
      ? t("percentOff", { value: offer.discount.value })
      : t("amountOff", { amount: money(offer.discount.value, currency, locale) });
  return t("offerWithDiscount", { title, discount });
}

const BAR_COLORS = { A: "#2c6ecb", B: "#8a5cd1", holdout: "#8c9196" } as const;

/** Value per buyer per version as bars; plain SVG so it renders on the server too. */
function ValueChart({ test, currency }: { test: UpsellTestData; currency: string | null }) {
  const locale = useLocale();
  const t = useMessages(messages);
  const shown = test.versions.filter((v) => v.valuePerBuyer !== null);
  if (shown.length === 0) return null;
  const max = Math.max(...shown.map((v) => v.valuePerBuyer!), 1);
  const width = 320;
  const rowHeight = 26;
  return (
    <svg
      role="img"
      aria-label={t("chartLabel")}
      width="100%"
      viewBox={`0 0 ${width + 140} ${shown.length * rowHeight}`}
      style={{ maxWidth: 520 }}
    >
      {shown.map((version, i) => {
        const label =
          version.arm === "holdout"
            ? t("holdout")
            : t(version.arm === "A" ? "versionA" : "versionB");
        const barWidth = Math.max(1, (version.valuePerBuyer! / max) * width);
        return (
          <g key={version.arm} transform={`translate(0, ${i * rowHeight})`}>
            <text x={0} y={17} fontSize={12} fill="#303030">
              {label}
            </text>
            <rect
              x={100}
              y={5}
              width={barWidth}
              height={16}
              rx={2}
              fill={BAR_COLORS[version.arm]}
            />
            <text x={104 + barWidth} y={17} fontSize={12} fill="#303030">
              {money(version.valuePerBuyer, currency, locale)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Ends the test by keeping one version as the rule's offer (the split and holdout go). The
 * declared winner's button is the primary one; before a winner the merchant may still decide.
 */
function KeepVersion({ test, control }: { test: UpsellTestData; control: KeepVersionControl }) {
  const t = useMessages(messages);
  const winner = test.verdict?.kind === "winner" ? test.verdict.winner : null;
  const hasB = test.versions.some((v) => v.arm === "B");
  const busy = control.busy !== null;
  const busyArm = control.busy?.key === test.key ? control.busy.arm : null;
  const failed = control.failed?.key === test.key ? control.failed.reason : null;
  return (
    <BlockStack gap="200">
      {failed ? (
        <Banner tone="warning">{t(failed === "changed" ? "keepChanged" : "keepInvalid")}</Banner>
      ) : null}
      <InlineStack gap="200">
        {hasB ? (
          <>
            <Button
              variant={winner === "A" ? "primary" : "secondary"}
              loading={busyArm === "A"}
              disabled={busy}
              onClick={() => control.keep(test.key, "A")}
            >
              {t("keepA")}
            </Button>
            <Button
              variant={winner === "B" ? "primary" : "secondary"}
              loading={busyArm === "B"}
              disabled={busy}
              onClick={() => control.keep(test.key, "B")}
            >
              {t("keepB")}
            </Button>
          </>
        ) : (
          <Button
            loading={busyArm === "A"}
            disabled={busy}
            onClick={() => control.keep(test.key, "A")}
          >
            {t("endHoldout")}
          </Button>
        )}
      </InlineStack>
    </BlockStack>
  );
}
