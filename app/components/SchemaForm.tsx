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
import {
  emptyItem,
  kindOf,
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
}

const humanize = (key: string) =>
  key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());

export function SchemaForm(props: Props) {
  return <ObjectFields {...props} path={[]} />;
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
  path,
}: Props & { path: (string | number)[] }) {
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
  path,
}: Omit<Props, "draft"> & {
  name: string;
  optional: boolean;
  draft: Draft;
  path: (string | number)[];
}) {
  const id = `field-${path.join("-")}`;
  const key = path.join(".");
  const error = errors[key];
  const label = `${schema.title ?? humanize(name)}${optional && !schema.oneOfGroup ? " (optional)" : ""}`;
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
          path={path}
        />
      );
    case "object":
      return (
        <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
          <BlockStack gap="300">
            <Text as="h4" variant="headingSm">
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
              path={path}
            />
          </BlockStack>
        </Box>
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

const NOUN: Record<ResourceType, { one: string; many: string }> = {
  product: { one: "product", many: "products" },
  variant: { one: "variant", many: "variants" },
  collection: { one: "collection", many: "collections" },
};

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
}: {
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
  const noun = NOUN[type];
  const choose = multiple
    ? ids.length
      ? `Change ${noun.many}`
      : `Choose ${noun.many}`
    : ids.length
      ? `Change ${noun.one}`
      : `Choose a ${noun.one}`;
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
                title: `A ${noun.one} chosen earlier`,
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
                      accessibilityLabel={`Remove ${shown.title}`}
                    >
                      Remove
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
              {`Open Switchboard from your Shopify admin to choose ${noun.many}.`}
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
  path,
}: Omit<Props, "draft"> & {
  name: string;
  label: string;
  draft: Draft[];
  path: (string | number)[];
}) {
  const itemTitle = schema.itemTitle ?? "Item";
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
          None yet.
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
                accessibilityLabel={`Remove ${itemTitle.toLowerCase()} ${index + 1}`}
              >
                Remove
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
              path={[...path, index]}
            />
          </BlockStack>
        </Box>
      ))}
      {error ? <InlineError message={error} fieldID={`field-${path.join("-")}`} /> : null}
      <InlineStack>
        <Button disabled={disabled} onClick={() => onChange(path, [...draft, emptyItem(schema)])}>
          {`Add ${itemTitle.toLowerCase()}`}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
