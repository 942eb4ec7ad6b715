import type { LoaderFunctionArgs } from "@remix-run/node";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Recipes() {
  return (
    <Page title="Recipes">
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading="No recipes are installed on this server yet" image="">
              <p>
                Recipes are prebuilt automations — post-purchase upsells, shipping-delay outreach,
                VIP and win-back segments — that you switch on here once this server ships them.
              </p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
