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
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import type { IntegrationView } from "../../../models/integrations.server";
import type { ActionResult } from "../validator";
import { ConnectionDetails, formatChecked } from "./ConnectionDetails";
import { useResultToast } from "./useResultToast";

export function GorgiasCard({ connection }: { connection: IntegrationView | null }) {
  const fetcher = useFetcher<ActionResult>();
  const [fields, setFields] = useState({ domain: "", email: "", apiKey: "" });
  const busy = fetcher.state !== "idle";
  const intent = fetcher.formData?.get("intent");
  const result = fetcher.data;
  useResultToast(result);
  const set = (name: keyof typeof fields) => (value: string) =>
    setFields((current) => ({ ...current, [name]: value }));
  const submit = (next: string) =>
    fetcher.submit(
      { intent: next, ...(next === "gorgias-test" || next === "gorgias-connect" ? fields : {}) },
      { method: "post" },
    );
  const errors = result && !result.ok ? (result.errors ?? {}) : {};

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Gorgias
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
          Tickets and tags for your support team, and open-ticket status so recipes stay quiet while
          a customer is waiting on support.
        </Text>

        {result?.ok && result.message ? <Banner tone="success">{result.message}</Banner> : null}
        {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}

        {connection ? (
          <BlockStack gap="300">
            {connection.lastError ? <Banner tone="critical">{connection.lastError}</Banner> : null}
            <ConnectionDetails
              rows={[
                [
                  "Helpdesk",
                  connection.gorgiasDomain ? `${connection.gorgiasDomain}.gorgias.com` : null,
                ],
                ["User", connection.gorgiasEmail],
                ["API key", connection.secretHint],
                [
                  "Ticket updates",
                  connection.webhookRegistered
                    ? "Registered in Gorgias (HTTP integration “Switchboard”)"
                    : "Not registered",
                ],
                ["Connected", formatChecked(connection.connectedAt)],
              ]}
            />
            <InlineStack gap="200">
              <Button
                tone="critical"
                variant="secondary"
                onClick={() => submit("gorgias-disconnect")}
                loading={busy && intent === "gorgias-disconnect"}
                disabled={busy}
              >
                Disconnect
              </Button>
            </InlineStack>
          </BlockStack>
        ) : (
          <Form onSubmit={() => submit("gorgias-connect")}>
            <FormLayout>
              <TextField
                label="Gorgias domain"
                name="domain"
                autoComplete="off"
                value={fields.domain}
                onChange={set("domain")}
                error={errors.domain}
                suffix=".gorgias.com"
                helpText="The part before .gorgias.com in your helpdesk's address."
              />
              <TextField
                label="User email"
                name="email"
                type="email"
                autoComplete="off"
                value={fields.email}
                onChange={set("email")}
                error={errors.email}
                helpText="The Gorgias user the API key belongs to."
              />
              <TextField
                label="API key"
                name="apiKey"
                type="password"
                autoComplete="off"
                value={fields.apiKey}
                onChange={set("apiKey")}
                error={errors.apiKey}
                helpText="Gorgias → Settings → REST API. It is stored encrypted and never shown again."
              />
              <Box>
                <InlineStack gap="200">
                  <Button
                    onClick={() => submit("gorgias-test")}
                    loading={busy && intent === "gorgias-test"}
                    disabled={busy}
                  >
                    Test connection
                  </Button>
                  <Button
                    variant="primary"
                    submit
                    loading={busy && intent === "gorgias-connect"}
                    disabled={busy}
                  >
                    Connect Gorgias
                  </Button>
                </InlineStack>
              </Box>
            </FormLayout>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}
