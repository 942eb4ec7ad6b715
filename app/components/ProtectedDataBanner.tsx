import { Banner, BlockStack, List, Text } from "@shopify/polaris";
import { useMessages } from "../i18n/react";
import type { ProtectedDataNotice } from "../models/protected-data.server";
import { protectedDataMessages } from "./components.messages";

/** Home's warning that Shopify withholds protected customer data; every sentence from the loader. */
export function ProtectedDataBanner({ notice }: { notice: ProtectedDataNotice }) {
  const t = useMessages(protectedDataMessages);
  return (
    <Banner tone="warning" title={notice.title}>
      <BlockStack gap="200">
        <Text as="p">{notice.what}</Text>
        {notice.limited.length > 0 && (
          <>
            <Text as="p">{t("limited")}</Text>
            <List>
              {notice.limited.map((recipe) => (
                <List.Item key={recipe.title}>{t("item", recipe)}</List.Item>
              ))}
            </List>
          </>
        )}
        <Text as="p">{notice.action}</Text>
      </BlockStack>
    </Banner>
  );
}
