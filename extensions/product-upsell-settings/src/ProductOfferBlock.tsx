import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/admin.product-details.block.render";
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

/** A field's value as the web component holds it: a string, "" when empty. */
function valueOf(event: Event): string {
  return (event.currentTarget as { value?: string } | null)?.value ?? "";
}

/** A number field's value; an empty or unreadable entry is no value (the app then says what is missing). */
function numberOf(event: Event): number | null {
  const text = valueOf(event).trim();
  const value = Number(text);
  return text !== "" && Number.isFinite(value) ? value : null;
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
export function ProductOfferBlock({
  api,
}: {
  api: Pick<Api, "data" | "i18n" | "query" | "resourcePicker">;
}) {
  const { data, i18n, query, resourcePicker } = api;
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

  // Edits apply to the latest form: a merchant's next edit can land before Preact re-renders.
  const change = (patch: Partial<Form>) =>
    setForm((current) => (current ? { ...current, ...patch } : current));

  async function pick(field: "offer" | "fallback") {
    const selection = (await resourcePicker({
      type: "variant",
      action: "select",
      multiple: false,
    })) as { id: string; displayName?: string; title?: string }[] | undefined;
    const variant = selection?.[0];
    if (!variant) return;
    change({
      [field]: {
        id: numericId(variant.id),
        label: variant.displayName ?? variant.title ?? variant.id,
      },
    });
    setErrors((current) => ({
      ...current,
      [field === "offer" ? "offerVariantId" : "fallbackVariantId"]: undefined,
    }));
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
      <s-admin-block heading={t("title")}>
        <s-banner tone="critical">{t("loadError", { message: loadError })}</s-banner>
      </s-admin-block>
    );
  }
  if (!settings || !form) {
    return (
      <s-admin-block heading={t("title")}>
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-spinner size="base" accessibilityLabel={t("loading")} />
          <s-text>{t("loading")}</s-text>
        </s-stack>
      </s-admin-block>
    );
  }

  const variantRow = (field: "offer" | "fallback", label: string, error: string | undefined) => {
    const chosen = form[field];
    return (
      <s-stack gap="small">
        <s-text type="strong">{label}</s-text>
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-text>{chosen?.label ?? t("noVariant")}</s-text>
          <s-button onClick={() => void pick(field)}>{t("choose")}</s-button>
          {field === "fallback" && chosen ? (
            <s-button variant="tertiary" onClick={() => change({ fallback: null })}>
              {t("clear")}
            </s-button>
          ) : null}
        </s-stack>
        {error ? <s-badge tone="critical">{error}</s-badge> : null}
      </s-stack>
    );
  };

  const summary =
    settings.offer && form.offer ? t("summaryOn", { variant: form.offer.label }) : t("summaryOff");
  return (
    <s-admin-block heading={t("title")} collapsedSummary={summary}>
      <s-stack gap="base">
        {!settings.recipeEnabled ? <s-banner tone="warning">{t("recipeOff")}</s-banner> : null}
        {notice ? <s-banner tone="success">{notice}</s-banner> : null}
        {errors.form ? (
          <s-banner tone="critical">{t("saveError", { message: errors.form })}</s-banner>
        ) : null}
        <s-text>{t("intro")}</s-text>
        {variantRow("offer", t("offerVariant"), errors.offerVariantId)}
        {variantRow("fallback", t("fallbackVariant"), errors.fallbackVariantId)}
        <s-stack direction="inline" gap="base">
          <s-select
            label={t("discountType")}
            value={form.discountType}
            error={errors["discount.type"]}
            onChange={(event) =>
              change({
                discountType: valueOf(event) === "fixed_amount" ? "fixed_amount" : "percentage",
              })
            }
          >
            <s-option value="percentage">{t("percentage")}</s-option>
            <s-option value="fixed_amount">{t("fixedAmount")}</s-option>
          </s-select>
          <s-number-field
            label={t("discountValue")}
            value={form.discountValue === null ? "" : String(form.discountValue)}
            suffix={form.discountType === "percentage" ? "%" : undefined}
            min={0}
            error={errors["discount.value"]}
            onChange={(event) => change({ discountValue: numberOf(event) })}
          />
        </s-stack>
        <s-number-field
          label={t("minimumStock")}
          value={form.minimumStock === null ? "" : String(form.minimumStock)}
          min={1}
          step={1}
          error={errors.minimumStock}
          details={t("minimumStockHelp")}
          onChange={(event) => change({ minimumStock: numberOf(event) })}
        />
        {settings.otherRules.length > 0 ? (
          <s-text>{t("otherRules", { rules: settings.otherRules.join(", ") })}</s-text>
        ) : null}
        <s-stack direction="inline" gap="base">
          <s-button variant="primary" onClick={() => void save()} disabled={busy !== null}>
            {t("save")}
          </s-button>
          {settings.offer ? (
            <s-button tone="critical" onClick={() => void remove()} disabled={busy !== null}>
              {t("remove")}
            </s-button>
          ) : null}
        </s-stack>
      </s-stack>
    </s-admin-block>
  );
}
