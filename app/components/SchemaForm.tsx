import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  ChoiceList,
  InlineError,
  InlineStack,
  Select,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { useMemo } from "react";
import type { Locale } from "../i18n/locale";
import { defineMessages, translator, type Translate } from "../i18n/messages";
import { useLocale } from "../i18n/react";
import { localizeFieldErrors } from "../recipes/field-copy";
import {
  emptyItem,
  kindOf,
  localizeSchema,
  resourceKey,
  type Draft,
  type FieldSchema,
  type ResourceLabel,
  type ResourceType,
} from "../utils/schema-form";
import type { PickedResource, Picker } from "./resource-picker";

/**
 * A settings form drawn from a JSON Schema (see app/utils/schema-form.ts): text and number
 * fields, checkboxes, selects, multi-choice lists, comma-separated lists, products, variants
 * and collections chosen with App Bridge's resource picker, and repeatable groups (an upsell's
 * rules). Errors are shown inline under the field whose path they name.
 */

interface Props {
  schema: FieldSchema;
  draft: Draft;
  errors: Record<string, string>;
  onChange(path: (string | number)[], value: Draft): void;
  /** App Bridge's resource picker, when App Bridge is there. */
  pick?: Picker;
  /** False once it is known App Bridge did not load (the picker cannot open). */
  pickerAvailable?: boolean;
  /** Titles of chosen resources, by resourceKey. */
  resources?: Record<string, ResourceLabel>;
  onPicked?(type: ResourceType, picked: PickedResource[]): void;
  disabled?: boolean;
  /** The admin's language; the app layout's by default. */
  locale?: Locale;
}

const messages = defineMessages({
  en: {
    optional: "{label} (optional)",
    remove: "Remove",
    removeNamed: "Remove {title}",
    removeItem: "Remove {item} {number}",
    change_product: "Change products",
    change_variant: "Change variants",
    change_collection: "Change collections",
    choose_product: "Choose products",
    choose_variant: "Choose variants",
    choose_collection: "Choose collections",
    changeOne_product: "Change product",
    changeOne_variant: "Change variant",
    changeOne_collection: "Change collection",
    chooseOne_product: "Choose a product",
    chooseOne_variant: "Choose a variant",
    chooseOne_collection: "Choose a collection",
    earlier_product: "A product chosen earlier",
    earlier_variant: "A variant chosen earlier",
    earlier_collection: "A collection chosen earlier",
    openFromAdmin_product: "Open Switchboard from your Shopify admin to choose products.",
    openFromAdmin_variant: "Open Switchboard from your Shopify admin to choose variants.",
    openFromAdmin_collection: "Open Switchboard from your Shopify admin to choose collections.",
    item: "Item",
    noneYet: "None yet.",
    add: "Add {item}",
  },
  fr: {
    optional: "{label} (facultatif)",
    remove: "Retirer",
    removeNamed: "Retirer {title}",
    removeItem: "Retirer : {item} {number}",
    change_product: "Modifier les produits",
    change_variant: "Modifier les variantes",
    change_collection: "Modifier les collections",
    choose_product: "Choisir des produits",
    choose_variant: "Choisir des variantes",
    choose_collection: "Choisir des collections",
    changeOne_product: "Modifier le produit",
    changeOne_variant: "Modifier la variante",
    changeOne_collection: "Modifier la collection",
    chooseOne_product: "Choisir un produit",
    chooseOne_variant: "Choisir une variante",
    chooseOne_collection: "Choisir une collection",
    earlier_product: "Un produit choisi précédemment",
    earlier_variant: "Une variante choisie précédemment",
    earlier_collection: "Une collection choisie précédemment",
    openFromAdmin_product:
      "Ouvrez Switchboard depuis votre interface administrateur Shopify pour choisir des produits.",
    openFromAdmin_variant:
      "Ouvrez Switchboard depuis votre interface administrateur Shopify pour choisir des variantes.",
    openFromAdmin_collection:
      "Ouvrez Switchboard depuis votre interface administrateur Shopify pour choisir des collections.",
    item: "Élément",
    noneYet: "Aucun pour l’instant.",
    add: "Ajouter : {item}",
  },
});

type FormText = Translate<(typeof messages)["en"]>;

const humanize = (key: string) =>
  key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());

/**
 * Titles, descriptions, units and errors read in the admin's language (each field's `fr` meta,
 * app/recipes/field-copy.ts for errors and units).
 */
export function SchemaForm(props: Props) {
  const contextLocale = useLocale();
  const locale = props.locale ?? contextLocale;
  const schema = useMemo(() => localizeSchema(props.schema, locale), [props.schema, locale]);
  const errors = useMemo(() => localizeFieldErrors(props.errors, locale), [props.errors, locale]);
  const t = useMemo(() => translator(messages, locale), [locale]);
  return <ObjectFields {...props} schema={schema} errors={errors} t={t} path={[]} />;
}

function ObjectFields({
  schema,
  draft,
  errors,
  onChange,
  pick,
  pickerAvailable,
  resources,
  onPicked,
  disabled,
  t,
  path,
}: Props & { t: FormText; path: (string | number)[] }) {
  const values = draft && typeof draft === "object" && !Array.isArray(draft) ? draft : {};
  return (
    <BlockStack gap="400">
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <Field
          key={key}
          name={key}
          schema={child}
          optional={!(schema.required ?? []).includes(key) && child.default === undefined}
          draft={values[key] ?? ""}
          errors={errors}
          onChange={onChange}
          pick={pick}
          pickerAvailable={pickerAvailable}
          resources={resources}
          onPicked={onPicked}
          disabled={disabled}
          t={t}
          path={[...path, key]}
        />
      ))}
    </BlockStack>
  );
}

function Field({
  name,
  schema,
  optional,
  draft,
  errors,
  onChange,
  pick,
  pickerAvailable,
  resources,
  onPicked,
  disabled,
  t,
  path,
}: Omit<Props, "draft"> & {
  name: string;
  optional: boolean;
  draft: Draft;
  t: FormText;
  path: (string | number)[];
}) {
  const id = `field-${path.join("-")}`;
  const key = path.join(".");
  const error = errors[key];
  const title = schema.title ?? humanize(name);
  const label = optional && !schema.oneOfGroup ? t("optional", { label: title }) : title;
  const set = (value: Draft) => onChange(path, value);
  switch (kindOf(schema)) {
    case "boolean":
      return (
        <Checkbox
          id={id}
          label={label}
          helpText={schema.description}
          checked={draft === true}
          onChange={(checked) => set(checked)}
          disabled={disabled}
          error={error}
        />
      );
    case "select": {
      const options = (schema.enum ?? []).map((value) => ({
        value: String(value),
        label: schema.options?.[String(value)] ?? String(value),
      }));
      return (
        <Select
          id={id}
          label={label}
          helpText={schema.description}
          options={options}
          value={String(draft)}
          onChange={(value) => set(value)}
          disabled={disabled}
          error={error}
        />
      );
    }
    case "multi": {
      const choices = (schema.items?.enum ?? []).map((value) => ({
        value: String(value),
        label: schema.options?.[String(value)] ?? String(value),
      }));
      return (
        <ChoiceList
          allowMultiple
          title={label}
          choices={choices}
          selected={Array.isArray(draft) ? (draft as string[]) : []}
          onChange={(selected) => set(selected)}
          disabled={disabled}
          error={error}
        />
      );
    }
    case "group":
      return (
        <GroupField
          name={name}
          label={label}
          schema={schema}
          draft={Array.isArray(draft) ? draft : []}
          errors={errors}
          onChange={onChange}
          pick={pick}
          pickerAvailable={pickerAvailable}
          resources={resources}
          onPicked={onPicked}
          disabled={disabled}
          t={t}
          path={path}
        />
      );
    case "object":
      // A labelled group: a form may repeat field labels across groups (each funnel step's words).
      return (
        <div role="group" aria-labelledby={`${id}-label`}>
          <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="300">
              <Text as="h4" variant="headingSm" id={`${id}-label`}>
                {label}
              </Text>
              <ObjectFields
                schema={schema}
                draft={draft}
                errors={errors}
                onChange={onChange}
                pick={pick}
                pickerAvailable={pickerAvailable}
                resources={resources}
                onPicked={onPicked}
                disabled={disabled}
                t={t}
                path={path}
              />
            </BlockStack>
          </Box>
        </div>
      );
    case "id":
    case "resources":
      return (
        <ResourceField
          id={id}
          label={label}
          helpText={schema.description}
          type={schema.picker!}
          multiple={kindOf(schema) === "resources"}
          ids={
            Array.isArray(draft)
              ? (draft as string[])
              : typeof draft === "string" && draft !== ""
                ? [draft]
                : []
          }
          onChange={(ids) => set(kindOf(schema) === "resources" ? ids : (ids[0] ?? ""))}
          pick={pick}
          pickerAvailable={pickerAvailable}
          resources={resources ?? {}}
          onPicked={onPicked}
          disabled={disabled}
          error={error}
          t={t}
        />
      );
    default: {
      const isNumber = kindOf(schema) === "number";
      return (
        <TextField
          id={id}
          label={label}
          helpText={schema.description}
          value={typeof draft === "string" ? draft : ""}
          onChange={(value) => set(value)}
          type={isNumber ? "number" : "text"}
          inputMode={isNumber ? "decimal" : undefined}
          suffix={schema.unit}
          autoComplete="off"
          disabled={disabled}
          error={error}
        />
      );
    }
  }
}

/**
 * Products, variants or collections chosen with the resource picker, listed by title (and
 * image) with a Remove button each; the draft holds their ids, which are never shown.
 */
function ResourceField({
  id,
  label,
  helpText,
  type,
  multiple,
  ids,
  onChange,
  pick,
  pickerAvailable,
  resources,
  onPicked,
  disabled,
  error,
  t,
}: {
  t: FormText;
  id: string;
  label: string;
  helpText?: string;
  type: ResourceType;
  multiple: boolean;
  ids: string[];
  onChange(ids: string[]): void;
  pick?: Picker;
  pickerAvailable?: boolean;
  resources: Record<string, ResourceLabel>;
  onPicked?(type: ResourceType, picked: PickedResource[]): void;
  disabled?: boolean;
  error?: string;
}) {
  const choose = multiple
    ? ids.length
      ? t(`change_${type}`)
      : t(`choose_${type}`)
    : ids.length
      ? t(`changeOne_${type}`)
      : t(`chooseOne_${type}`);
  const open = async () => {
    if (!pick) return;
    const picked = await pick(type, multiple, ids);
    // Cancelled; or nothing picked for a single resource (the current one stays).
    if (!picked || (!multiple && !picked.length)) return;
    onPicked?.(type, picked);
    // The picker opened with the current choice ticked and answers with the whole new choice.
    onChange(multiple ? [...new Set(picked.map((p) => p.id))] : [picked[0]!.id]);
  };
  return (
    <div role="group" aria-labelledby={`${id}-label`} id={id}>
      <BlockStack gap="200">
        <BlockStack gap="100">
          <Text as="p" id={`${id}-label`}>
            {label}
          </Text>
          {helpText ? (
            <Text as="p" tone="subdued">
              {helpText}
            </Text>
          ) : null}
        </BlockStack>
        {ids.length ? (
          <ul aria-label={label} style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {ids.map((value) => {
              const shown = resources[resourceKey(type, value)] ?? {
                title: t(`earlier_${type}`),
                known: false,
              };
              return (
                <li key={value} style={{ paddingBlock: "var(--p-space-100)" }}>
                  <InlineStack gap="300" blockAlign="center" wrap={false}>
                    {shown.image ? <Thumbnail source={shown.image} alt="" size="small" /> : null}
                    <Box minWidth="0">
                      <Text as="span" tone={shown.known ? undefined : "subdued"}>
                        {shown.title}
                      </Text>
                    </Box>
                    <Button
                      variant="plain"
                      tone="critical"
                      disabled={disabled}
                      onClick={() => onChange(ids.filter((other) => other !== value))}
                      accessibilityLabel={t("removeNamed", { title: shown.title })}
                    >
                      {t("remove")}
                    </Button>
                  </InlineStack>
                </li>
              );
            })}
          </ul>
        ) : null}
        <InlineStack gap="200" blockAlign="center">
          <Button disabled={disabled || !pick} onClick={() => void open()}>
            {choose}
          </Button>
          {pickerAvailable === false ? (
            <Text as="span" tone="subdued">
              {t(`openFromAdmin_${type}`)}
            </Text>
          ) : null}
        </InlineStack>
        {error ? <InlineError message={error} fieldID={id} /> : null}
      </BlockStack>
    </div>
  );
}

function GroupField({
  label,
  schema,
  draft,
  errors,
  onChange,
  pick,
  pickerAvailable,
  resources,
  onPicked,
  disabled,
  t,
  path,
}: Omit<Props, "draft"> & {
  name: string;
  label: string;
  draft: Draft[];
  t: FormText;
  path: (string | number)[];
}) {
  const itemTitle = schema.itemTitle ?? t("item");
  const error = errors[path.join(".")];
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {label}
        </Text>
        {schema.description ? (
          <Text as="p" tone="subdued">
            {schema.description}
          </Text>
        ) : null}
      </BlockStack>
      {draft.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("noneYet")}
        </Text>
      ) : null}
      {draft.map((item, index) => (
        <Box
          key={index}
          padding="400"
          borderWidth="025"
          borderColor="border"
          borderRadius="200"
          background="bg-surface-secondary"
        >
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h4" variant="headingSm">
                {itemTitle} {index + 1}
              </Text>
              <Button
                variant="plain"
                tone="critical"
                disabled={disabled}
                onClick={() =>
                  onChange(
                    path,
                    draft.filter((_, i) => i !== index),
                  )
                }
                accessibilityLabel={t("removeItem", {
                  item: itemTitle.toLowerCase(),
                  number: String(index + 1),
                })}
              >
                {t("remove")}
              </Button>
            </InlineStack>
            <ObjectFields
              schema={schema.items ?? {}}
              draft={item}
              errors={errors}
              onChange={onChange}
              pick={pick}
              pickerAvailable={pickerAvailable}
              resources={resources}
              onPicked={onPicked}
              disabled={disabled}
              t={t}
              path={[...path, index]}
            />
          </BlockStack>
        </Box>
      ))}
      {error ? <InlineError message={error} fieldID={`field-${path.join("-")}`} /> : null}
      <InlineStack>
        <Button disabled={disabled} onClick={() => onChange(path, [...draft, emptyItem(schema)])}>
          {schema.addItem ?? t("add", { item: itemTitle.toLowerCase() })}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
