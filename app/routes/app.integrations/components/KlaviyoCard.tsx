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
import { useMessages } from "../../../i18n/react";
import { messages } from "../messages";

/** What each Klaviyo scope lets Switchboard do (messages `scope.<scope>`). */
const SCOPES = new Set([
  "accounts:read",
  "events:write",
  "profiles:read",
  "profiles:write",
  "lists:read",
  "lists:write",
  "data-privacy:write",
]);

export function KlaviyoCard({
  connection,
}: {
  connection: (IntegrationView & { disconnectWarning: string }) | null;
}) {
  const form = useConnectionForm();
  const time = useShopTime();
  const [apiKey, setApiKey] = useState("");
  const { busy, pending, errors } = form;
  const t = useMessages(messages);
  const scopeUse = (scope: string) =>
    SCOPES.has(scope) ? t(`scope.${scope}` as "scope.accounts:read") : t("scopeOther");

  return (
    <ConnectionCard
      title="Klaviyo"
      description={t("klaviyoDescription")}
      connection={connection}
      form={form}
    >
      {connection ? (
        <BlockStack gap="300">
          {connection.lastError ? <Banner tone="critical">{connection.lastError}</Banner> : null}
          <ConnectionDetails
            rows={[
              [t("account"), connection.klaviyoAccountName ?? t("accountHidden")],
              [t("privateKey"), connection.secretHint],
              [t("lastChecked"), time.ago(connection.checkedAt)],
            ]}
          />
          {connection.missingScopes.length ? (
            <Banner tone="warning" title={t("missingScopes")}>
              <BlockStack gap="200">
                <Text as="p">{t("withoutThem")}</Text>
                <List>
                  {connection.missingScopes.map((scope) => (
                    <List.Item key={scope}>
                      <Text as="span" fontWeight="semibold">
                        {scope}
                      </Text>{" "}
                      — {scopeUse(scope)}
                    </List.Item>
                  ))}
                </List>
                <Text as="p">{t("editKey")}</Text>
              </BlockStack>
            </Banner>
          ) : (
            <Text as="p" tone="success">
              {t("everyScope")}
            </Text>
          )}
          <InlineStack gap="200">
            <Button
              onClick={() => form.submit("klaviyo-check")}
              loading={pending("klaviyo-check")}
              disabled={busy}
            >
              {t("checkAgain")}
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
              label={t("privateApiKey")}
              name="apiKey"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={setApiKey}
              error={errors.apiKey}
              helpText={
                <>
                  {t("createOneIn")}{" "}
                  <Link url="https://www.klaviyo.com/settings/account/api-keys" target="_blank">
                    {t("klaviyoKeysPath")}
                  </Link>{" "}
                  {t("withFullAccess")}
                </>
              }
            />
            <Box>
              <Button variant="primary" submit loading={busy} disabled={busy}>
                {t("connectKlaviyo")}
              </Button>
            </Box>
          </FormLayout>
        </Form>
      )}
    </ConnectionCard>
  );
}
