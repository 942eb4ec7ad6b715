import { Link as RemixLink, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useAppPath } from "../../../components/useAppPath";
import { useMessages } from "../../../i18n/react";
import { gapScreenMessages } from "../messages";

/** How often a page waiting for its report reloads it. */
const REVALIDATE_MS = 4_000;

/** Reloads the loader's data every few seconds while `active` (the report is being computed). */
export function useRevalidateWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = setTimeout(revalidate, REVALIDATE_MS);
    return () => clearTimeout(timer);
  }, [active, state, revalidate]);
}

export function ComputingState({
  windowDays,
  since,
  lastError,
}: {
  windowDays: number;
  since: string;
  lastError: string | null;
}) {
  useRevalidateWhile(true);
  const t = useMessages(gapScreenMessages);
  return (
    <BlockStack gap="400">
      {lastError ? (
        <Banner tone="warning" title={t("lastAttemptFailed")}>
          <p>{t("triesAgain", { error: lastError })}</p>
        </Banner>
      ) : null}
      <Card>
        <InlineStack gap="300" blockAlign="center" wrap={false}>
          <Spinner size="small" accessibilityLabel={t("computingLabel")} />
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("reading", { days: windowDays })}
            </Text>
            <Text as="p" tone="subdued">
              {since === "now" ? t("startedJustNow") : t("started", { since })}
            </Text>
          </BlockStack>
        </InlineStack>
      </Card>
    </BlockStack>
  );
}

export function NoOrdersState({ importUrl }: { importUrl: string }) {
  const appPath = useAppPath();
  const t = useMessages(gapScreenMessages);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("noOrdersHeading")}
        </Text>
        <Text as="p">
          {t("noOrdersBody")} <RemixLink to={appPath(importUrl)}>{t("importLink")}</RemixLink>{" "}
          {t("importAfter")}
        </Text>
      </BlockStack>
    </Card>
  );
}
