import { Link as RemixLink, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useAppPath } from "../../../components/useAppPath";

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
  return (
    <BlockStack gap="400">
      {lastError ? (
        <Banner tone="warning" title="The last attempt to compute this report failed">
          <p>{`${lastError} Switchboard tries again by itself.`}</p>
        </Banner>
      ) : null}
      <Card>
        <InlineStack gap="300" blockAlign="center" wrap={false}>
          <Spinner size="small" accessibilityLabel="Computing the report" />
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {`Reading the last ${windowDays} days of your store`}
            </Text>
            <Text as="p" tone="subdued">
              {`Started ${since === "now" ? "just now" : since}. This page updates by itself when the report is ready.`}
            </Text>
          </BlockStack>
        </InlineStack>
      </Card>
    </BlockStack>
  );
}

export function NoOrdersState({ importUrl }: { importUrl: string }) {
  const appPath = useAppPath();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          No orders to read yet
        </Text>
        <Text as="p">
          The report is worked out from your orders, and none has reached Switchboard yet.{" "}
          <RemixLink to={appPath(importUrl)}>Import your order history on Home</RemixLink> and the
          report follows.
        </Text>
      </BlockStack>
    </Card>
  );
}
