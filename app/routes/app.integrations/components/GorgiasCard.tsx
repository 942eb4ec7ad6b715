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
import type { Locale } from "../../../i18n/locale";
import { translator } from "../../../i18n/messages";
import { useLocale, useMessages } from "../../../i18n/react";
import { messages } from "../messages";

/** The import of open tickets that connecting started, as the merchant reads it. */
export function ticketImportSummary(
  ticketImport: TicketImportView | null,
  /** An instant as the merchant reads it (useShopTime().ago). */
  formatTime: (at: string) => string,
  locale: Locale = "en",
): {
  text: string;
  failure: string | null;
} {
  const t = translator(messages, locale);
  if (!ticketImport) return { text: t("notImported"), failure: null };
  const count = ticketImport.openTickets;
  const tickets = t("tickets", { count });
  switch (ticketImport.status) {
    case "running":
      return {
        text: ticketImport.error
          ? t("importingRetry", { count, tickets, error: ticketImport.error })
          : t("importing", { count, tickets }),
        failure: null,
      };
    case "done":
      return {
        text: ticketImport.finishedAt
          ? t("importedAt", { count, tickets, when: formatTime(ticketImport.finishedAt) })
          : t("imported", { count, tickets }),
        failure: null,
      };
    case "failed":
      return {
        text: t("importStopped", { tickets }),
        failure: t("importFailure", { error: ticketImport.error ?? t("unknownError") }),
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
  const locale = useLocale();
  const t = useMessages(messages);
  const importSummary = connection
    ? ticketImportSummary(connection.ticketImport, time.ago, locale)
    : null;

  return (
    <ConnectionCard
      title="Gorgias"
      description={t("gorgiasDescription")}
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
                t("helpdesk"),
                connection.gorgiasDomain ? `${connection.gorgiasDomain}.gorgias.com` : null,
              ],
              [t("user"), connection.gorgiasEmail],
              [t("apiKey"), connection.secretHint],
              [
                t("ticketUpdates"),
                connection.webhookRegistered ? t("registered") : t("notRegistered"),
              ],
              [t("openTickets"), importSummary?.text ?? null],
              [t("connectedAt"), time.ago(connection.connectedAt)],
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
              label={t("gorgiasDomain")}
              name="domain"
              autoComplete="off"
              value={fields.domain}
              onChange={set("domain")}
              error={errors.domain}
              suffix=".gorgias.com"
              helpText={t("domainHelp")}
            />
            <TextField
              label={t("userEmail")}
              name="email"
              type="email"
              autoComplete="off"
              value={fields.email}
              onChange={set("email")}
              error={errors.email}
              helpText={t("emailHelp")}
            />
            <TextField
              label={t("apiKey")}
              name="apiKey"
              type="password"
              autoComplete="off"
              value={fields.apiKey}
              onChange={set("apiKey")}
              error={errors.apiKey}
              helpText={t("apiKeyHelp")}
            />
            <Box>
              <InlineStack gap="200">
                <Button
                  onClick={() => form.submit("gorgias-test", fields)}
                  loading={pending("gorgias-test")}
                  disabled={busy}
                >
                  {t("testConnection")}
                </Button>
                <Button
                  variant="primary"
                  submit
                  loading={pending("gorgias-connect")}
                  disabled={busy}
                >
                  {t("connectGorgias")}
                </Button>
              </InlineStack>
            </Box>
          </FormLayout>
        </Form>
      )}
    </ConnectionCard>
  );
}
