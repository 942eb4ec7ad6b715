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
} from "@shopify/polaris";
import { emptyItem, kindOf, type Draft, type FieldSchema } from "../utils/schema-form";

/**
 * A settings form drawn from a JSON Schema (see app/utils/schema-form.ts): text and number
 * fields, checkboxes, selects, multi-choice lists, comma-separated lists, and repeatable groups
 * (an upsell's rules). Errors are shown inline under the field whose path they name.
 */

type Picker = (
  type: "variant" | "product" | "collection",
  multiple: boolean,
) => Promise<string[] | null>;

interface Props {
  schema: FieldSchema;
  draft: Draft;
  errors: Record<string, string>;
  onChange(path: (string | number)[], value: Draft): void;
  /** App Bridge's resource picker, when App Bridge is there. */
  pick?: Picker;
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
  const label = `${schema.title ?? humanize(name)}${optional ? " (optional)" : ""}`;
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
              disabled={disabled}
              path={path}
            />
          </BlockStack>
        </Box>
      );
    default: {
      const isNumber = kindOf(schema) === "number";
      const picker = schema.picker;
      const multiple = kindOf(schema) === "list";
      const browse =
        picker && pick ? (
          <Button
            disabled={disabled}
            onClick={async () => {
              const ids = await pick(picker, multiple);
              if (!ids?.length) return;
              if (!multiple) return set(ids[0]!);
              const current = String(draft)
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean);
              set([...new Set([...current, ...ids])].join(", "));
            }}
          >
            Browse
          </Button>
        ) : undefined;
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
          connectedRight={browse}
        />
      );
    }
  }
}

function GroupField({
  label,
  schema,
  draft,
  errors,
  onChange,
  pick,
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
