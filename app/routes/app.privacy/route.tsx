import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { getRuntime } from "../../runtime.server";
import { authenticate } from "../../shopify.server";
import { useMessages } from "../../i18n/react";
import { requestLocale } from "../../i18n/request.server";
import { DownloadExportButton } from "./DownloadExportButton";
import { messages } from "./messages";
import { loadPrivacyScreen, type PrivacyScreen } from "./privacy.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database } = await getRuntime();
  return loadPrivacyScreen(database.db, session.shop, requestLocale(request));
};

const STATUS_TONE = { ready: "success", preparing: "info", failed: "critical" } as const;

function DataRequest({ request }: { request: PrivacyScreen["dataRequests"][number] }) {
  const { search } = useLocation();
  const t = useMessages(messages);
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center" gap="300">
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {request.customer}
            </Text>
            <Badge tone={STATUS_TONE[request.status]}>{t(request.status)}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {request.email ? `${request.email} · ` : ""}
            {t("received", { when: request.received })}
          </Text>
        </BlockStack>
        {request.exportId !== null ? (
          <InlineStack gap="200">
            <Button url={`/app/privacy/exports/${request.exportId}${search}`}>{t("view")}</Button>
            <DownloadExportButton exportId={request.exportId} customer={request.customer} />
          </InlineStack>
        ) : null}
      </InlineStack>
      {request.error ? (
        <Text as="p" variant="bodySm" tone="critical" breakWord>
          {request.error}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function Redaction({ redaction }: { redaction: PrivacyScreen["redactions"][number] }) {
  const t = useMessages(messages);
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {t("erasedOn", { when: redaction.received })}
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {redaction.removedHere}
      </Text>
      {redaction.vendors.map((v) => (
        <InlineStack key={v.vendor} gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="bodySm" fontWeight="semibold">
            {v.vendor}
          </Text>
          {v.tone ? (
            <Badge tone={v.tone}>{v.text}</Badge>
          ) : (
            <Text as="span" variant="bodySm" tone="subdued">
              {v.text}
            </Text>
          )}
        </InlineStack>
      ))}
      <details>
        <summary>
          <Text as="span" variant="bodySm" tone="subdued">
            {t("details")}
          </Text>
        </summary>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("customerId", { id: redaction.customerId })}
        </Text>
      </details>
    </BlockStack>
  );
}

export default function Privacy() {
  const { dataRequests, redactions, timeZone } = useLoaderData<typeof loader>();
  const t = useMessages(messages);
  return (
    <Page title={t("title")} subtitle={t("subtitle", { zone: timeZone })}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("dataRequests")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("dataRequestsText")}
                </Text>
              </BlockStack>
              {dataRequests.length === 0 ? (
                <EmptyState heading={t("noDataRequests")} image="">
                  <p>{t("noDataRequestsText")}</p>
                </EmptyState>
              ) : (
                dataRequests.map((request, i) => (
                  <DataRequest key={request.exportId ?? `waiting-${i}`} request={request} />
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("erasures")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("erasuresText")}
                </Text>
              </BlockStack>
              {redactions.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("noErasures")}
                </Text>
              ) : (
                redactions.map((redaction) => (
                  <Redaction key={redaction.id} redaction={redaction} />
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
