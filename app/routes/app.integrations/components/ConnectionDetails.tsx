import { BlockStack, InlineStack, Text } from "@shopify/polaris";

/** Label/value rows for a connection (no secrets: only masked hints reach this component). */
export function ConnectionDetails({ rows }: { rows: [label: string, value: string | null][] }) {
  return (
    <BlockStack gap="100">
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <InlineStack key={label} gap="200" wrap={false}>
            <Text as="span" tone="subdued">
              {label}
            </Text>
            <Text as="span">{value}</Text>
          </InlineStack>
        ))}
    </BlockStack>
  );
}
