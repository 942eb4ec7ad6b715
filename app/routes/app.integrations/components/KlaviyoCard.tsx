import {
  Banner,
  BlockStack,
  Box,
  Button,
  Form,
  FormLayout,
  InlineStack,
  Link,
  List,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import type { IntegrationView } from "../../../models/integrations.server";
import { ConnectionCard, useConnectionForm } from "./ConnectionCard";
import { useShopTime } from "../../../components/shop-time";
import { ConnectionDetails } from "./ConnectionDetails";
import { DisconnectButton } from "./DisconnectButton";

const SCOPE_USES: Record<string, string> = {
  "accounts:read": "show the account name",
  "events:write": "send events that trigger your flows",
  "profiles:read": "find profiles to take off lists",
  "profiles:write": "update profiles and their properties",
  "lists:read": "find your lists",
  "lists:write": "create lists and keep segments in sync",
  "data-privacy:write": "delete a customer's profile when Shopify asks to erase them",
};

export function KlaviyoCard({
  connection,
}: {
  connection: (IntegrationView & { disconnectWarning: string }) | null;
}) {
  const form = useConnectionForm();
  const time = useShopTime();
  const [apiKey, setApiKey] = useState("");
  const { busy, pending, errors } = form;

  return (
    <ConnectionCard
      title="Klaviyo"
      description="Events for your flows, profile properties and lists. Switchboard uses a private API key from Klaviyo → Settings → API keys."
      connection={connection}
      form={form}
    >
      {connection ? (
        <BlockStack gap="300">
          {connection.lastError ? <Banner tone="critical">{connection.lastError}</Banner> : null}
          <ConnectionDetails
            rows={[
              [
                "Account",
                connection.klaviyoAccountName ?? "(name hidden: the key can't read the account)",
              ],
              ["Private key", connection.secretHint],
              ["Last checked", time.ago(connection.checkedAt)],
            ]}
          />
          {connection.missingScopes.length ? (
            <Banner tone="warning" title="This key is missing scopes">
              <BlockStack gap="200">
                <Text as="p">Without them Switchboard can't:</Text>
                <List>
                  {connection.missingScopes.map((scope) => (
                    <List.Item key={scope}>
                      <Text as="span" fontWeight="semibold">
                        {scope}
                      </Text>{" "}
                      — {SCOPE_USES[scope] ?? "use this part of Klaviyo"}
                    </List.Item>
                  ))}
                </List>
                <Text as="p">
                  Edit the key in Klaviyo to add them (or create a new key with full access), then
                  check again.
                </Text>
              </BlockStack>
            </Banner>
          ) : (
            <Text as="p" tone="success">
              The key has every scope Switchboard uses.
            </Text>
          )}
          <InlineStack gap="200">
            <Button
              onClick={() => form.submit("klaviyo-check")}
              loading={pending("klaviyo-check")}
              disabled={busy}
            >
              Check again
            </Button>
            <DisconnectButton
              vendor="Klaviyo"
              intent="klaviyo-disconnect"
              warning={connection.disconnectWarning}
              form={form}
            />
          </InlineStack>
        </BlockStack>
      ) : (
        <Form onSubmit={() => form.submit("klaviyo-connect", { apiKey })}>
          <FormLayout>
            <TextField
              label="Private API key"
              name="apiKey"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={setApiKey}
              error={errors.apiKey}
              helpText={
                <>
                  Create one in{" "}
                  <Link url="https://www.klaviyo.com/settings/account/api-keys" target="_blank">
                    Klaviyo → Settings → API keys
                  </Link>{" "}
                  with full access. It is stored encrypted and never shown again.
                </>
              }
            />
            <Box>
              <Button variant="primary" submit loading={busy} disabled={busy}>
                Connect Klaviyo
              </Button>
            </Box>
          </FormLayout>
        </Form>
      )}
    </ConnectionCard>
  );
}
