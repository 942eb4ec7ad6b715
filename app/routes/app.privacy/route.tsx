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
import { DownloadExportButton } from "./DownloadExportButton";
import { loadPrivacyScreen, type PrivacyScreen } from "./privacy.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database } = await getRuntime();
  return loadPrivacyScreen(database.db, session.shop);
};

const STATUS = {
  ready: { tone: "success", label: "Ready" },
  preparing: { tone: "info", label: "Being prepared" },
  failed: { tone: "critical", label: "Failed" },
} as const;

function DataRequest({ request }: { request: PrivacyScreen["dataRequests"][number] }) {
  const { search } = useLocation();
  const status = STATUS[request.status];
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center" gap="300">
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {request.customer}
            </Text>
            <Badge tone={status.tone}>{status.label}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {request.email ? `${request.email} · ` : ""}Received {request.received}
          </Text>
        </BlockStack>
        {request.exportId !== null ? (
          <InlineStack gap="200">
            <Button url={`/app/privacy/exports/${request.exportId}${search}`}>View</Button>
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
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        A customer erased on {redaction.received}
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
            Details
          </Text>
        </summary>
        <Text as="p" variant="bodySm" tone="subdued">
          Shopify customer id {redaction.customerId}
        </Text>
      </details>
    </BlockStack>
  );
}

export default function Privacy() {
  const { dataRequests, redactions, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page
      title="Privacy"
      subtitle={`Requests Shopify sent on your customers' behalf. Times in ${timeZone}.`}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Data requests
                </Text>
                <Text as="p" tone="subdued">
                  When a customer asks what you hold on them, Shopify asks Switchboard too. Send
                  them the file below along with your own data.
                </Text>
              </BlockStack>
              {dataRequests.length === 0 ? (
                <EmptyState heading="No data requests yet" image="">
                  <p>They appear here as Shopify sends them, ready to view and download.</p>
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
                  Erasure requests
                </Text>
                <Text as="p" tone="subdued">
                  When Shopify asks to erase a customer, Switchboard deletes what it holds and asks
                  Klaviyo and Gorgias, where connected, to delete them too.
                </Text>
              </BlockStack>
              {redactions.length === 0 ? (
                <Text as="p" tone="subdued">
                  No erasure requests yet.
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
