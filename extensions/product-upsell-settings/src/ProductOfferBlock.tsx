import { useEffect, useState } from "react";
import {
  AdminBlock,
  Badge,
  Banner,
  BlockStack,
  Button,
  InlineStack,
  NumberField,
  ProgressIndicator,
  Select,
  Text,
  useApi,
} from "@shopify/ui-extensions-react/admin";
import type {
  ProductOfferErrors,
  ProductOfferSettings,
} from "../../../app/shared/extension-contracts";
import {
  loadSettings,
  numericId,
  removeOffer,
  saveOffer,
  VARIANT_NAMES_QUERY,
  variantGid,
} from "./settings";

const TARGET = "admin.product-details.block.render";

interface Chosen {
  id: string;
  label: string;
}

interface Form {
  offer: Chosen | null;
  fallback: Chosen | null;
  discountType: "percentage" | "fixed_amount";
  discountValue: number | null;
  minimumStock: number | null;
}

function formOf(settings: ProductOfferSettings, names: Map<string, string>): Form {
  const chosen = (id: string | null | undefined) =>
    id ? { id, label: names.get(id) ?? `Variant ${id}` } : null;
  return {
    offer: chosen(settings.offer?.offerVariantId),
    fallback: chosen(settings.offer?.fallbackVariantId),
    discountType: settings.offer?.discount.type ?? "percentage",
    discountValue: settings.offer?.discount.value ?? 10,
    minimumStock: settings.minimumStock,
  };
}

/**
 * admin.product-details.block.render: this product's post-purchase offer — the variant to
 * offer (picked with the admin's resource picker), a fallback, the discount and the minimum
 * stock — saved into the post-purchase-upsell recipe; the app validates with the recipe's
 * schema and errors show on their fields.
 */
export function ProductOfferBlock() {
  const { data, i18n, query, resourcePicker } = useApi(TARGET);
  const t = i18n.translate;
  const productGid = data.selected[0]?.id ?? "";
  const [settings, setSettings] = useState<ProductOfferSettings | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<ProductOfferErrors>({});
  const [busy, setBusy] = useState<"save" | "remove" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function variantNames(ids: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (ids.length === 0) return names;
    try {
      const result = await query<{ nodes: ({ id: string; displayName: string } | null)[] }>(
        VARIANT_NAMES_QUERY,
        { variables: { ids: ids.map(variantGid) } },
      );
      for (const node of result.data?.nodes ?? [])
        if (node?.id) names.set(numericId(node.id), node.displayName);
    } catch {
      // Names are a nicety: the ids still show.
    }
    return names;
  }

  async function show(next: ProductOfferSettings) {
    const ids = [next.offer?.offerVariantId, next.offer?.fallbackVariantId].filter(
      (id): id is string => Boolean(id),
    );
    setForm(formOf(next, await variantNames(ids)));
    setSettings(next);
  }

  useEffect(() => {
    if (!productGid) return;
    loadSettings(productGid)
      .then(show)
      .catch((error: unknown) =>
        setLoadError(error instanceof Error ? error.message : String(error)),
      );
    // Loads once for the product on the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [productGid]);

  async function pick(field: "offer" | "fallback") {
    const selection = (await resourcePicker({
      type: "variant",
      action: "select",
      multiple: false,
    })) as { id: string; displayName?: string; title?: string }[] | undefined;
    const variant = selection?.[0];
    if (!variant || !form) return;
    setForm({
      ...form,
      [field]: {
        id: numericId(variant.id),
        label: variant.displayName ?? variant.title ?? variant.id,
      },
    });
    setErrors({
      ...errors,
      [field === "offer" ? "offerVariantId" : "fallbackVariantId"]: undefined,
    });
  }

  async function save() {
    if (!form) return;
    setBusy("save");
    setNotice(null);
    const answer = await saveOffer({
      productId: productGid,
      offerVariantId: form.offer?.id ?? null,
      fallbackVariantId: form.fallback?.id ?? null,
      discount: { type: form.discountType, value: form.discountValue },
      minimumStock: form.minimumStock,
    }).catch((error: unknown) => ({
      ok: false as const,
      errors: { form: error instanceof Error ? error.message : String(error) },
    }));
    setBusy(null);
    if (!answer.ok) {
      setErrors(answer.errors);
      return;
    }
    setErrors({});
    setSettings(answer.settings);
    setNotice(t("saved"));
  }

  async function remove() {
    setBusy("remove");
    setNotice(null);
    const answer = await removeOffer(productGid).catch((error: unknown) => ({
      ok: false as const,
      errors: { form: error instanceof Error ? error.message : String(error) },
    }));
    setBusy(null);
    if (!answer.ok) {
      setErrors(answer.errors);
      return;
    }
    setErrors({});
    await show(answer.settings);
    setNotice(t("removed"));
  }

  if (loadError) {
    return (
      <AdminBlock title={t("title")}>
        <Banner tone="critical">{t("loadError", { message: loadError })}</Banner>
      </AdminBlock>
    );
  }
  if (!settings || !form) {
    return (
      <AdminBlock title={t("title")}>
        <InlineStack gap="base" blockAlignment="center">
          <ProgressIndicator size="small-200" />
          <Text>{t("loading")}</Text>
        </InlineStack>
      </AdminBlock>
    );
  }

  const variantRow = (field: "offer" | "fallback", label: string, error: string | undefined) => {
    const chosen = form[field];
    return (
      <BlockStack gap="small">
        <Text fontWeight="bold">{label}</Text>
        <InlineStack gap="base" blockAlignment="center">
          <Text>{chosen?.label ?? t("noVariant")}</Text>
          <Button onPress={() => void pick(field)}>{t("choose")}</Button>
          {field === "fallback" && chosen ? (
            <Button variant="tertiary" onPress={() => setForm({ ...form, fallback: null })}>
              {t("clear")}
            </Button>
          ) : null}
        </InlineStack>
        {error ? <Badge tone="critical">{error}</Badge> : null}
      </BlockStack>
    );
  };

  const summary =
    settings.offer && form.offer ? t("summaryOn", { variant: form.offer.label }) : t("summaryOff");
  return (
    <AdminBlock title={t("title")} collapsedSummary={summary}>
      <BlockStack gap="base">
        {!settings.recipeEnabled ? <Banner tone="warning">{t("recipeOff")}</Banner> : null}
        {notice ? <Banner tone="success">{notice}</Banner> : null}
        {errors.form ? (
          <Banner tone="critical">{t("saveError", { message: errors.form })}</Banner>
        ) : null}
        <Text>{t("intro")}</Text>
        {variantRow("offer", t("offerVariant"), errors.offerVariantId)}
        {variantRow("fallback", t("fallbackVariant"), errors.fallbackVariantId)}
        <InlineStack gap="base">
          <Select
            label={t("discountType")}
            value={form.discountType}
            options={[
              { value: "percentage", label: t("percentage") },
              { value: "fixed_amount", label: t("fixedAmount") },
            ]}
            error={errors["discount.type"]}
            onChange={(value) =>
              setForm({
                ...form,
                discountType: value === "fixed_amount" ? "fixed_amount" : "percentage",
              })
            }
          />
          <NumberField
            label={t("discountValue")}
            value={form.discountValue ?? undefined}
            suffix={form.discountType === "percentage" ? "%" : undefined}
            min={0}
            error={errors["discount.value"]}
            onChange={(value) =>
              setForm({ ...form, discountValue: Number.isFinite(value) ? value : null })
            }
          />
        </InlineStack>
        <NumberField
          label={t("minimumStock")}
          value={form.minimumStock ?? undefined}
          min={1}
          step={1}
          error={errors.minimumStock}
          onChange={(value) =>
            setForm({ ...form, minimumStock: Number.isFinite(value) ? value : null })
          }
        />
        <Text>{t("minimumStockHelp")}</Text>
        {settings.otherRules.length > 0 ? (
          <Text>{t("otherRules", { rules: settings.otherRules.join(", ") })}</Text>
        ) : null}
        <InlineStack gap="base">
          <Button variant="primary" onPress={() => void save()} disabled={busy !== null}>
            {t("save")}
          </Button>
          {settings.offer ? (
            <Button tone="critical" onPress={() => void remove()} disabled={busy !== null}>
              {t("remove")}
            </Button>
          ) : null}
        </InlineStack>
      </BlockStack>
    </AdminBlock>
  );
}
