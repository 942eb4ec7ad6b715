import { useState } from "react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  InlineStack,
  Select,
  Text,
  Thumbnail,
} from "@shopify/polaris";
import { countdownTime, createTranslator } from "../../extensions/post-purchase-upsell/src/i18n";
import { useMessages } from "../i18n/react";
import { offerPageCopy } from "../recipes/post-purchase-upsell/copy";
import { resourceKey, type ResourceLabel } from "../utils/schema-form";
import { messages } from "./OfferPreview.messages";

/** The shopper languages the page has words for (the extension's catalogs). */
type Language = "en" | "fr";

/** The parts of an offer rule's draft the preview reads (the settings form's values as typed). */
interface RuleDraft {
  name?: unknown;
  offerVariantId?: unknown;
  discount?: { type?: unknown; value?: unknown };
  copy?: Record<string, unknown>;
  countdownMinutes?: unknown;
}

/**
 * What the merchant's words and numbers become on the shopper's page: headline, message, the
 * variant with its price struck through and discounted, the saving, Accept and Decline. Pure, so
 * the preview and its test read the same thing.
 */
export function previewOf(
  rule: RuleDraft,
  resources: Record<string, ResourceLabel>,
  currency: string | null,
  language: Language,
) {
  // The extension's own translator and the server's copy resolution: the page's words exactly.
  const i18n = createTranslator(language);
  const own = offerPageCopy(rule.copy, language);
  // The shop's currency is not known yet (its shop lookup has not succeeded): no guessed symbol.
  const money = (amount: number) => (currency ? i18n.money(amount, currency) : amount.toFixed(2));
  const variantId = typeof rule.offerVariantId === "string" ? rule.offerVariantId : "";
  const label = variantId ? resources[resourceKey("variant", variantId)] : undefined;
  const price = label?.price ? Number(label.price) : null;
  const type = rule.discount?.type === "fixed_amount" ? "fixed_amount" : "percentage";
  const value = Number(rule.discount?.value ?? 0) || 0;
  const discounted =
    price === null
      ? null
      : Math.max(0, type === "percentage" ? price * (1 - value / 100) : price - value);
  const saving =
    value <= 0
      ? null
      : i18n.t("save", {
          discount:
            type === "percentage"
              ? i18n.t("percentOff", { value })
              : i18n.t("amountOff", { amount: money(value) }),
        });
  const countdown = Math.floor(Number(rule.countdownMinutes) || 0);
  return {
    headline: own?.headline ?? i18n.t("heading"),
    body: own?.body ?? i18n.t("subheading"),
    title: label?.title ?? null,
    image: label?.image ?? null,
    original: price === null || value <= 0 ? null : money(price),
    price: discounted === null ? null : money(discounted),
    saving,
    countdown:
      countdown > 0
        ? i18n.t("endsIn", { time: countdownTime(Math.min(60, countdown) * 60) })
        : null,
    accept: own?.button ?? i18n.t("acceptPlain"),
    decline: i18n.t("decline"),
  };
}

/** The recipe page's live preview of an upsell rule's offer page, beside its settings. */
export function OfferPreview({
  rules,
  resources,
  currency,
}: {
  rules: unknown;
  resources: Record<string, ResourceLabel>;
  currency: string | null;
}) {
  const t = useMessages(messages);
  const [language, setLanguage] = useState<Language>("en");
  const [chosen, setChosen] = useState(0);
  const list = (Array.isArray(rules) ? rules : []) as RuleDraft[];
  const index = Math.min(chosen, Math.max(0, list.length - 1));
  const rule = list[index];
  const view = rule ? previewOf(rule, resources, currency, language) : null;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("heading")}
          </Text>
          <Text as="p" tone="subdued">
            {t("intro")}
          </Text>
        </BlockStack>
        <InlineStack gap="200" blockAlign="center">
          <ButtonGroup variant="segmented">
            <Button pressed={language === "en"} onClick={() => setLanguage("en")}>
              {t("english")}
            </Button>
            <Button pressed={language === "fr"} onClick={() => setLanguage("fr")}>
              {t("french")}
            </Button>
          </ButtonGroup>
          {list.length > 1 ? (
            <Select
              label={t("rule")}
              labelInline
              options={list.map((r, i) => ({
                label:
                  typeof r.name === "string" && r.name.trim()
                    ? r.name
                    : t("ruleNumber", { number: i + 1 }),
                value: String(i),
              }))}
              value={String(index)}
              onChange={(value) => setChosen(Number(value))}
            />
          ) : null}
        </InlineStack>
        {!view ? (
          <Text as="p" tone="subdued">
            {t("noRule")}
          </Text>
        ) : (
          <section aria-label={t("preview")}>
            <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="300">
                <Box padding="200" background="bg-surface-secondary" borderRadius="100">
                  <BlockStack gap="100">
                    <Text as="p" variant="headingSm">
                      {view.headline}
                    </Text>
                    <Text as="p" variant="bodySm">
                      {view.body}
                    </Text>
                  </BlockStack>
                </Box>
                {view.title ? (
                  <InlineStack gap="300" blockAlign="start" wrap={false}>
                    {view.image ? (
                      <Thumbnail source={view.image} alt={view.title} size="large" />
                    ) : null}
                    <BlockStack gap="100">
                      <Text as="p" variant="headingSm">
                        {view.title}
                      </Text>
                      {view.price ? (
                        <InlineStack gap="200" blockAlign="center">
                          {view.original ? (
                            <Text as="span" tone="subdued" textDecorationLine="line-through">
                              {view.original}
                            </Text>
                          ) : null}
                          <Text as="span" variant="headingMd">
                            {view.price}
                          </Text>
                        </InlineStack>
                      ) : (
                        <Text as="p" tone="subdued" variant="bodySm">
                          {t("priceAtCheckout")}
                        </Text>
                      )}
                      {view.saving ? <Badge tone="success">{view.saving}</Badge> : null}
                      {view.countdown ? (
                        <Text as="p" tone="critical" fontWeight="semibold">
                          {view.countdown}
                        </Text>
                      ) : null}
                    </BlockStack>
                  </InlineStack>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("chooseVariant")}
                  </Text>
                )}
                <BlockStack gap="200">
                  <Button variant="primary" fullWidth disabled>
                    {view.accept}
                  </Button>
                  <Button variant="plain" disabled>
                    {view.decline}
                  </Button>
                </BlockStack>
              </BlockStack>
            </Box>
          </section>
        )}
      </BlockStack>
    </Card>
  );
}
