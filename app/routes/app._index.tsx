import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, List, Page, Text } from "@shopify/polaris";
import { db } from "../db.server";
import { findShop } from "../models/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await findShop(await db(), session.shop);
  return {
    shopDomain: session.shop,
    shopName: shop?.name ?? session.shop,
    installedAt: shop?.installedAt?.toISOString() ?? null,
  };
};

export default function Home() {
  const { shopName, installedAt } = useLoaderData<typeof loader>();
  return (
    <Page title="Switchboard">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingLg">
                  Automations for {shopName}
                </Text>
                <Text as="p" tone="subdued">
                  Switchboard listens to your store's orders, fulfillments and inventory, and runs
                  the recipes you switch on: Klaviyo events and lists, Gorgias tickets, Shopify
                  tags.
                </Text>
                {installedAt ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    Installed {new Date(installedAt).toLocaleDateString()}
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingMd">
                    1. Connect your tools
                  </Text>
                  <Text as="p">Add your Klaviyo and Gorgias accounts under Integrations.</Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingMd">
                    2. Switch on recipes
                  </Text>
                  <Text as="p">
                    Pick prebuilt automations under Recipes and tune their settings.
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingMd">
                    3. Watch them work
                  </Text>
                  <Text as="p">Every webhook, run and delivery is listed under Activity.</Text>
                </BlockStack>
              </Card>
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingMd">
                What Switchboard never does
              </Text>
              <List>
                <List.Item>Offer an item that is out of stock</List.Item>
                <List.Item>Ask for a review while a support ticket is open</List.Item>
                <List.Item>Send the same message twice</List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
