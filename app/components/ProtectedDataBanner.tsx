import { Banner, BlockStack, List, Text } from "@shopify/polaris";
import type { ProtectedDataNotice } from "../models/protected-data.server";

/** Home's warning that Shopify withholds protected customer data; every sentence from the loader. */
export function ProtectedDataBanner({ notice }: { notice: ProtectedDataNotice }) {
  return (
    <Banner tone="warning" title={notice.title}>
      <BlockStack gap="200">
        <Text as="p">{notice.what}</Text>
        {notice.limited.length > 0 && (
          <>
            <Text as="p">Limited among your switched-on recipes:</Text>
            <List>
              {notice.limited.map((recipe) => (
                <List.Item key={recipe.title}>
                  {recipe.title}: {recipe.without}
                </List.Item>
              ))}
            </List>
          </>
        )}
        <Text as="p">{notice.action}</Text>
      </BlockStack>
    </Banner>
  );
}
