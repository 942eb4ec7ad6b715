import {
  Banner,
  BlockStack,
  Box,
  Button,
  Form,
  FormLayout,
  InlineStack,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import type { IntegrationView } from "../../../models/integrations.server";
import type { TicketImportView } from "../../../models/gorgias-ticket-imports.server";
import { ConnectionCard, useConnectionForm } from "./ConnectionCard";
import { useShopTime } from "../../../components/shop-time";
import { ConnectionDetails } from "./ConnectionDetails";
import { DisconnectButton } from "./DisconnectButton";

const tickets = (n: number) => `${n} open ticket${n === 1 ? "" : "s"}`;

/** The import of open tickets that connecting started, as the merchant reads it. */
export function ticketImportSummary(
  ticketImport: TicketImportView | null,
  /** An instant as the merchant reads it (useShopTime().ago). */
  formatTime: (at: string) => string,
): {
  text: string;
  failure: string | null;
} {
  if (!ticketImport) return { text: "Not imported: connect again to import them", failure: null };
  switch (ticketImport.status) {
    case "running":
      return {
        text: `Importing… ${tickets(ticketImport.openTickets)} found so far${ticketImport.error ? ` (retrying: ${ticketImport.error})` : ""}`,
        failure: null,
      };
    case "done":
      return {
        text: `${tickets(ticketImport.openTickets)} imported when you connected${ticketImport.finishedAt ? ` (${formatTime(ticketImport.finishedAt)})` : ""}; changes since arrive as they happen`,
        failure: null,
      };
    case "failed":
      return {
        text: `Import stopped after ${tickets(ticketImport.openTickets)}`,
        failure: `Switchboard couldn't import your open Gorgias tickets: ${ticketImport.error ?? "unknown error"} Tickets that change from now on still reach Switchboard; connect again to retry the import.`,
      };
  }
}

export function GorgiasCard({
  connection,
}: {
  connection:
    (IntegrationView & { ticketImport: TicketImportView | null; disconnectWarning: string }) | null;
}) {
  const form = useConnectionForm();
  const [fields, setFields] = useState({ domain: "", email: "", apiKey: "" });
  const set = (name: keyof typeof fields) => (value: string) =>
    setFields((current) => ({ ...current, [name]: value }));
  const { busy, pending, errors } = form;
  const time = useShopTime();
  const importSummary = connection ? ticketImportSummary(connection.ticketImport, time.ago) : null;

  return (
    <ConnectionCard
      title="Gorgias"
      description="Tickets and tags for your support team, and open-ticket status so recipes stay quiet while a customer is waiting on support."
      connection={connection}
      form={form}
    >
      {connection ? (
        <BlockStack gap="300">
          {connection.lastError ? <Banner tone="critical">{connection.lastError}</Banner> : null}
          {importSummary?.failure ? <Banner tone="warning">{importSummary.failure}</Banner> : null}
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
              ["Open tickets", importSummary?.text ?? null],
              ["Connected", time.ago(connection.connectedAt)],
            ]}
          />
          <InlineStack gap="200">
            <DisconnectButton
              vendor="Gorgias"
              intent="gorgias-disconnect"
              warning={connection.disconnectWarning}
              form={form}
            />
          </InlineStack>
        </BlockStack>
      ) : (
        <Form onSubmit={() => form.submit("gorgias-connect", fields)}>
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
                  onClick={() => form.submit("gorgias-test", fields)}
                  loading={pending("gorgias-test")}
                  disabled={busy}
                >
                  Test connection
                </Button>
                <Button
                  variant="primary"
                  submit
                  loading={pending("gorgias-connect")}
                  disabled={busy}
                >
                  Connect Gorgias
                </Button>
              </InlineStack>
            </Box>
          </FormLayout>
        </Form>
      )}
    </ConnectionCard>
  );
}
