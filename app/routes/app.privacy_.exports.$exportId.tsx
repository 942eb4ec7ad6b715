import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { DownloadExportButton } from "./app.privacy/DownloadExportButton";
import { loadExportSummary, parseExportId } from "./app.privacy/privacy.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseExportId(params.exportId);
  const { database } = await getRuntime();
  const summary = id === null ? null : await loadExportSummary(database.db, session.shop, id);
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
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {empty ? (
          <Text as="p" tone="subdued">
            None.
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
      title={`Data held on ${summary.customer}`}
      subtitle={`Prepared ${summary.prepared}. Times in ${summary.timeZone}.`}
      backAction={{ content: "Privacy", url: `/app/privacy${search}` }}
      primaryAction={<DownloadExportButton exportId={summary.id} customer={summary.customer} />}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Section title="Profile" empty={summary.profile.length === 0}>
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
            <Section title="Orders" empty={summary.orders.length === 0}>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={["Order", "Placed", "Total", "Status"]}
                rows={summary.orders.map((o) => [o.name, o.placed, o.total, o.status])}
              />
            </Section>
            <Section title="Recipe runs" empty={summary.recipeRuns.length === 0}>
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["Recipe", "About", "Outcome", "When"]}
                rows={summary.recipeRuns.map((r) => [r.recipe, r.subject, r.outcome, r.at])}
              />
            </Section>
            <Section
              title="Sent to Klaviyo, Gorgias and Shopify"
              empty={summary.deliveries.length === 0}
            >
              <DataTable
                columnContentTypes={["text", "text", "text", "text"]}
                headings={["What", "Recipe", "Status", "When"]}
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
            <Section title="Also held" empty={held.length === 0}>
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
                    Details
                  </Text>
                </summary>
                <Text as="p" variant="bodySm" tone="subdued">
                  Shopify customer id {summary.customerId} · export {summary.id}
                </Text>
              </details>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
