import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { useAppBridgeAvailable } from "../components/AppNavigation";
import { ContextualSaveBar } from "../components/ContextualSaveBar";
import { useFetcherResult, useResultToast } from "../components/useFetcherResult";
import { SchemaForm } from "../components/SchemaForm";
import { useAppPath } from "../components/useAppPath";
import { useSettingsForm } from "../components/useSettingsForm";
import { getGuardConfig, saveGuardConfig } from "../models/recipe-settings.server";
import { guardConfigSchema } from "../recipes/engine/guards";
import { guardsDescription } from "../recipes/home-summary";
import { translator } from "../i18n/messages";
import { useMessages } from "../i18n/react";
import { requestLocale } from "../i18n/request.server";
import { messages } from "./app.recipes.guards.messages";
import { getDatabase } from "../db.server";
import { authenticate } from "../shopify.server";
import { issuesToErrors } from "../utils/schema-form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const database = await getDatabase();
  const guards = await getGuardConfig(database.db, session.shop);
  return { guards, summary: guardsDescription(guards, requestLocale(request)) };
};

type Result =
  | { ok: true; message: string; guards: z.output<typeof guardConfigSchema>; summary: string }
  | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs): Promise<Result> => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const locale = requestLocale(request);
  const t = translator(messages, locale);
  let input: unknown;
  try {
    input = JSON.parse(String(form.get("config") ?? ""));
  } catch {
    return { ok: false, errors: { form: t("unknownRequest") } };
  }
  const parsed = guardConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  const database = await getDatabase();
  await saveGuardConfig(database.db, session.shop, parsed.data);
  return {
    ok: true,
    message: t("saved"),
    guards: parsed.data,
    summary: guardsDescription(parsed.data, locale),
  };
};

export default function Guards() {
  const data = useLoaderData<typeof loader>();
  const form = useSettingsForm(guardConfigSchema, data.guards);
  const fetcher = useFetcher<typeof action>();
  const navigate = useNavigate();
  const appPath = useAppPath();
  const t = useMessages(messages);
  const [summary, setSummary] = useState(data.summary);
  const [notice, setNotice] = useState<{ tone: "success" | "critical"; text: string } | null>(null);

  const appBridge = useAppBridgeAvailable();
  useFetcherResult(fetcher, (result) => {
    if (result.ok) {
      form.saved(result.guards);
      setSummary(result.summary);
      setNotice(appBridge ? null : { tone: "success", text: result.message });
    } else {
      form.rejected(result.errors);
      setNotice({ tone: "critical", text: t("needsFixing") });
    }
  });
  useResultToast(fetcher.data?.ok ? fetcher.data : undefined);

  const save = () => {
    const input = form.validate();
    if (input === null)
      return setNotice({
        tone: "critical",
        text: t("needsFixing"),
      });
    fetcher.submit({ config: JSON.stringify(input) }, { method: "post" });
  };

  return (
    <Page
      title={t("title")}
      subtitle={t("subtitle")}
      backAction={{ content: t("recipes"), onAction: () => navigate(appPath("/app/recipes")) }}
    >
      <ContextualSaveBar
        id="guards-save-bar"
        dirty={form.dirty}
        saving={fetcher.state !== "idle"}
        onSave={save}
        onDiscard={form.discard}
      />
      <Layout>
        {notice ? (
          <Layout.Section>
            <Banner tone={notice.tone} onDismiss={() => setNotice(null)}>
              {notice.text}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                save();
              }}
              aria-label={t("title")}
              noValidate
            >
              <SchemaForm
                schema={form.json}
                draft={form.draft}
                errors={form.errors}
                onChange={form.setField}
                disabled={fetcher.state !== "idle"}
              />
              <button type="submit" hidden aria-hidden tabIndex={-1} />
            </form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("inShort")}
              </Text>
              <Text as="p">{t("everyRecipe", { summary })}</Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("caps")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
