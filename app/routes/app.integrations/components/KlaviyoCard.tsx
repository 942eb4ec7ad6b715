import { useFetcher } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
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
import type { ActionResult } from "../validator";
import { ConnectionDetails, formatChecked } from "./ConnectionDetails";
import { useResultToast } from "./useResultToast";

const SCOPE_USES: Record<string, string> = {
  "accounts:read": "show the account name",
  "events:write": "send events that trigger your flows",
  "profiles:read": "find profiles to take off lists",
  "profiles:write": "update profiles and their properties",
  "lists:read": "find your lists",
  "lists:write": "create lists and keep segments in sync",
};

export function KlaviyoCard({ connection }: { connection: IntegrationView | null }) {
  const fetcher = useFetcher<ActionResult>();
  const [apiKey, setApiKey] = useState("");
  const busy = fetcher.state !== "idle";
  const intent = fetcher.formData?.get("intent");
  const result = fetcher.data;
  useResultToast(result);
  const submit = (next: string) =>
    fetcher.submit(
      { intent: next, ...(next === "klaviyo-connect" ? { apiKey } : {}) },
      { method: "post" },
    );
  const errors = result && !result.ok ? (result.errors ?? {}) : {};

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Klaviyo
          </Text>
          {connection ? (
            <Badge tone={connection.status === "connected" ? "success" : "critical"}>
              {connection.status === "connected" ? "Connected" : "Needs attention"}
            </Badge>
          ) : (
            <Badge>Not connected</Badge>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          Events for your flows, profile properties and lists. Switchboard uses a private API key
          from Klaviyo → Settings → API keys.
        </Text>

        {result?.ok && result.message ? <Banner tone="success">{result.message}</Banner> : null}
        {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}

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
                ["Last checked", formatChecked(connection.checkedAt)],
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
                onClick={() => submit("klaviyo-check")}
                loading={busy && intent === "klaviyo-check"}
                disabled={busy}
              >
                Check again
              </Button>
              <Button
                tone="critical"
                variant="secondary"
                onClick={() => submit("klaviyo-disconnect")}
                loading={busy && intent === "klaviyo-disconnect"}
                disabled={busy}
              >
                Disconnect
              </Button>
            </InlineStack>
          </BlockStack>
        ) : (
          <Form onSubmit={() => submit("klaviyo-connect")}>
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
      </BlockStack>
    </Card>
  );
}
