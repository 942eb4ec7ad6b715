import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { useMessages } from "../i18n/react";
import { requestLocale } from "../i18n/request.server";
import { DownloadExportButton } from "./app.privacy/DownloadExportButton";
import { messages } from "./app.privacy/messages";
import { loadExportSummary, parseExportId } from "./app.privacy/privacy.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseExportId(params.exportId);
  const { database } = await getRuntime();
  const summary =
    id === null
      ? null
      : await loadExportSummary(database.db, session.shop, id, requestLocale(request));
  if (!summary) throw new Response("Not found", { status: 404 });
  return summary;
};

function Section({
  title,
  empty,
  children,
}: {
  title: string;
  empty: boolean;
  children: React.ReactNode;
}) {
  const t = useMessages(messages);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {empty ? (
          <Text as="p" tone="subdued">
            {t("none")}
          </Text>
        ) : (
          children
        )}
      </BlockStack>
    </Card>
  );
}

/** What Switchboard holds on one customer, as prepared for their data request. */
export default function ExportView() {
  const summary = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const t = useMessages(messages);
  const held = [
    summary.helpdesk,
    summary.lists,
    summary.offers,
    summary.touches,
    summary.memory,
    summary.webhooks,
  ].filter((line): line is string => Boolean(line));
  return (
    <Page
      title={t("dataHeldOn", { customer: summary.customer })}
      subtitle={t("prepared", { when: summary.prepared, zone: summary.timeZone })}
      backAction={{ content: t("title"), url: `/app/privacy${search}` }}
      primaryAction={<DownloadExportButton exportId={summary.id} customer={summary.customer} />}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Section title={t("profile")} empty={summary.profile.length === 0}>
              <BlockStack gap="100">
                {summary.profile.map(([label, value]) => (
                  <InlineStack key={label} gap="200">
                    <Text as="span" fontWeight="semibold">
                      {label}
                    </Text>
                    <Text as="span">{value}</Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Section>
            <Section title={t("ordersTitle")} empty={summary.orders.length === 0}>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={[t("order"), t("placed"), t("total"), t("status")]}
                rows={summary.orders.map((o) => [o.name, o.placed, o.total, o.status])}
              />
            </Section>
            <Section title={t("recipeRuns")} empty={summary.recipeRuns.length === 0}>
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={[t("recipe"), t("about"), t("outcome"), t("when")]}
                rows={summary.recipeRuns.map((r) => [r.recipe, r.subject, r.outcome, r.at])}
              />
            </Section>
            <Section title={t("sentTo")} empty={summary.deliveries.length === 0}>
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={[t("what"), t("recipe"), t("status"), t("when")]}
                rows={summary.deliveries.map((d) => [d.what, d.recipe, d.status, d.at])}
              />
            </Section>
            {summary.vendors.length ? (
              <Card>
                <BlockStack gap="100">
                  {summary.vendors.map((line) => (
                    <Text as="p" key={line}>
                      {line}
                    </Text>
                  ))}
                </BlockStack>
              </Card>
            ) : null}
            <Section title={t("alsoHeld")} empty={held.length === 0}>
              <BlockStack gap="100">
                {held.map((line) => (
                  <Text as="p" key={line}>
                    {line}
                  </Text>
                ))}
              </BlockStack>
            </Section>
            {summary.customerId ? (
              <details>
                <summary>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("details")}
                  </Text>
                </summary>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("exportDetails", { id: summary.customerId, exportId: summary.id })}
                </Text>
              </details>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
