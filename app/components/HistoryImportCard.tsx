import { useEffect } from "react";
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { intlLocale } from "../i18n/locale";
import { useLocale, useMessages } from "../i18n/react";
import type { HistoryImportCard as Card_ } from "../models/history-import-view";
import { historyImportMessages } from "./components.messages";

/** Seconds between refreshes while the import runs. */
const REFRESH_MS = 3_000;

const BADGE_TONE = { running: "info", done: "success", failed: "critical" } as const;

/** Home's history import card; the Re-import/Retry button posts intent=reimport-history. */
export function HistoryImportCard({ card }: { card: Card_ }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const submitting = navigation.formData?.get("intent") === "reimport-history";
  const t = useMessages(historyImportMessages);
  const number = intlLocale(useLocale());
  useEffect(() => {
    if (card.status !== "running") return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [card.status, revalidator]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {card.headline}
          </Text>
          <Badge tone={BADGE_TONE[card.status]}>{t(card.status)}</Badge>
        </InlineStack>
        <ProgressBar
          progress={card.progress}
          tone={
            card.status === "failed" ? "critical" : card.status === "done" ? "success" : "highlight"
          }
          ariaLabelledBy="history-import-progress"
        />
        <Text as="p" id="history-import-progress">
          {card.detail}
          {card.eta ? ` ${card.eta[0]!.toUpperCase()}${card.eta.slice(1)}.` : ""}
        </Text>
        {card.error ? (
          <Text as="p" tone={card.status === "failed" ? "critical" : "caution"}>
            {card.status === "failed" ? card.error : t("retrying", { error: card.error })}
          </Text>
        ) : null}
        <InlineGrid columns={3} gap="200">
          {card.counts.map((c) => (
            <BlockStack key={c.label} gap="050">
              <Text as="span" variant="bodySm" tone="subdued">
                {c.label}
              </Text>
              <Text as="span" variant="headingMd">
                {c.value.toLocaleString(number)}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        {card.canReimport ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reimport-history" />
            <InlineStack>
              <Button
                submit
                loading={submitting}
                variant={card.status === "failed" ? "primary" : "secondary"}
              >
                {card.status === "failed" ? t("retry") : t("reimport")}
              </Button>
            </InlineStack>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
