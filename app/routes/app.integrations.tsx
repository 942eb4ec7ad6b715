import type { LoaderFunctionArgs } from "@remix-run/node";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Integrations() {
  return (
    <Page title="Integrations">
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading="Klaviyo and Gorgias connections" image="">
              <p>
                Connections to Klaviyo (events, profiles, lists) and Gorgias (tickets) are set up
                here once this server ships their clients. Until then no data leaves Shopify.
              </p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
