import type { LoaderFunctionArgs } from "@remix-run/node";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Activity() {
  return (
    <Page title="Activity">
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading="Nothing has happened yet" image="">
              <p>
                Every webhook Shopify sends, every recipe run and every delivery to Klaviyo or
                Gorgias will be listed here, with its status and reasons.
              </p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
