import { z } from "zod";
import type { Locale } from "../i18n/locale";
import { unitLabel } from "../recipes/field-copy";

/**
 * Settings forms generated from a zod schema. The schema is turned into JSON Schema (zod's own
 * `toJSONSchema`, input side, with our `.meta()` hints: title, description, unit, options,
 * picker, itemTitle); the form edits a *draft* of text fields, which is turned back into the
 * schema's input and parsed by the same schema on the client (inline errors) and the server.
 */

/**
 * A field's words in French, beside its English `.meta()` (English stays the source). Required on
 * every `.meta()` call, so a settings field without a French title does not typecheck; a French
 * description, option labels and item words are checked against the English ones by a test
 * (tests/recipes/recipe-copy.test.ts). Units are translated once (app/recipes/field-copy.ts).
 */
export interface FrenchFieldMeta {
  title: string;
  description?: string;
  options?: Record<string, string>;
  itemTitle?: string;
  /** The add button of a list of groups ("Ajouter une règle"): French articles agree with it. */
  addItem?: string;
}

declare module "zod" {
  interface GlobalMeta {
    fr: FrenchFieldMeta;
  }
}

export interface FieldSchema {
  type?: string | string[];
  properties?: Record<string, FieldSchema>;
  required?: string[];
  items?: FieldSchema;
  enum?: unknown[];
  default?: unknown;
  title?: string;
  description?: string;
  unit?: string;
  /** Labels for enum values. */
  options?: Record<string, string>;
  /** A Shopify resource to pick (variant, product, collection). */
  picker?: ResourceType;
  /**
   * One of several fields of which at least one must be filled (an offer's triggers): not
   * labelled "(optional)", since leaving all of them empty is refused.
   */
  oneOfGroup?: string;
  /** What one item of a list of groups is called ("Rule"). */
  itemTitle?: string;
  /** The add button of a list of groups, when it is not "Add <item title>". */
  addItem?: string;
  fr?: FrenchFieldMeta;
  minimum?: number;
  maximum?: number;
}

export type ResourceType = "variant" | "product" | "collection";

export type Draft = string | boolean | string[] | Draft[] | { [key: string]: Draft };

export type FieldKind =
  | "boolean"
  | "select"
  | "multi"
  | "list"
  | "group"
  | "object"
  | "number"
  | "id"
  | "resources"
  | "text";

const has = (schema: FieldSchema, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

export function kindOf(schema: FieldSchema): FieldKind {
  if (has(schema, "boolean")) return "boolean";
  if (has(schema, "object") || schema.properties) return "object";
  if (has(schema, "array")) {
    const items = schema.items ?? {};
    if (items.enum) return "multi";
    if (has(items, "object") || items.properties) return "group";
    return schema.picker ? "resources" : "list";
  }
  if (schema.picker) return "id";
  if (schema.enum) return "select";
  if (has(schema, "integer") || has(schema, "number")) return "number";
  return "text";
}

/** JSON Schema of a settings schema, input side. */
export function formSchema(schema: z.ZodType): FieldSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as FieldSchema;
}

/**
 * The form's words in the admin's language: titles, descriptions, option labels, units and item
 * words from each field's `fr` meta. English is returned as it is.
 */
export function localizeSchema(schema: FieldSchema, locale: Locale): FieldSchema {
  if (locale === "en") return schema;
  const fr = schema.fr;
  const out: FieldSchema = { ...schema };
  if (fr) {
    out.title = fr.title;
    if (fr.description !== undefined) out.description = fr.description;
    if (fr.options) out.options = { ...schema.options, ...fr.options };
    if (fr.itemTitle !== undefined) out.itemTitle = fr.itemTitle;
    if (fr.addItem !== undefined) out.addItem = fr.addItem;
  }
  if (schema.unit) out.unit = unitLabel(schema.unit, locale);
  if (schema.properties)
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, child]) => [key, localizeSchema(child, locale)]),
    );
  if (schema.items) out.items = localizeSchema(schema.items, locale);
  return out;
}

/** A value (as stored) → the form's draft. */
export function toDraft(schema: FieldSchema, value: unknown): Draft {
  const v = value === undefined ? schema.default : value;
  switch (kindOf(schema)) {
    case "boolean":
      return Boolean(v);
    case "multi":
    case "resources":
      return Array.isArray(v) ? v.map(String) : [];
    case "list":
      return Array.isArray(v) ? v.join(", ") : v === undefined || v === null ? "" : String(v);
    case "group":
      return Array.isArray(v) ? v.map((item) => toDraft(schema.items ?? {}, item)) : [];
    case "object": {
      const source = v && typeof v === "object" ? (v as Record<string, unknown>) : {};
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, child]) => [
          key,
          toDraft(child, source[key]),
        ]),
      );
    }
    default:
      return v === undefined || v === null ? "" : String(v);
  }
}

/** A new, empty item of a group (its defaults filled). */
export function emptyItem(schema: FieldSchema): Draft {
  return toDraft(schema.items ?? {}, undefined);
}

/** The draft → the schema's input (numbers typed as text become numbers; blanks are left out). */
export function fromDraft(schema: FieldSchema, draft: Draft | undefined): unknown {
  switch (kindOf(schema)) {
    case "boolean":
      return Boolean(draft);
    case "multi":
    case "resources":
      return Array.isArray(draft) ? draft : [];
    case "group":
      return Array.isArray(draft) ? draft.map((item) => fromDraft(schema.items ?? {}, item)) : [];
    case "object": {
      const source = draft && typeof draft === "object" && !Array.isArray(draft) ? draft : {};
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const value = fromDraft(child, source[key]);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    case "number": {
      const text = typeof draft === "string" ? draft.trim() : "";
      if (text === "") return undefined;
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    case "select":
    case "id": {
      const text = typeof draft === "string" ? draft.trim() : "";
      return text === "" ? undefined : text;
    }
    default:
      return typeof draft === "string" ? draft : "";
  }
}

/** A Shopify resource a setting names: what the form shows by its title. */
export interface ResourceRef {
  type: ResourceType;
  id: string;
}

/** The key a resource's label is kept under (`variant/45118200000030`). */
export const resourceKey = (type: ResourceType, id: string) => `${type}/${id}`;

/** Every resource the values name, by the picker fields of the schema (stored values or a draft). */
export function pickedResources(schema: FieldSchema, value: unknown): ResourceRef[] {
  const found: ResourceRef[] = [];
  const walk = (node: FieldSchema, v: unknown) => {
    switch (kindOf(node)) {
      case "id":
        if (typeof v === "string" && v.trim() !== "") found.push({ type: node.picker!, id: v });
        return;
      case "resources":
        if (Array.isArray(v))
          for (const id of v)
            if (typeof id === "string" && id !== "") found.push({ type: node.picker!, id });
        return;
      case "group":
        if (Array.isArray(v)) for (const item of v) walk(node.items ?? {}, item);
        return;
      case "object": {
        const source = v && typeof v === "object" ? (v as Record<string, unknown>) : {};
        for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, source[key]);
        return;
      }
      default:
        return;
    }
  };
  walk(schema, value);
  const seen = new Set<string>();
  return found.filter((ref) => {
    const key = resourceKey(ref.type, ref.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** zod issues → messages by dotted path (`rules.0.offerVariantId`); the first issue per path wins. */
export function issuesToErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".") || "form";
    errors[path] ??= issue.message;
  }
  return errors;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** Parses a draft with the schema: the same call on the client (as you type) and the server (on save). */
export function parseDraft<S extends z.ZodType>(
  schema: S,
  json: FieldSchema,
  draft: Draft,
): ParseResult<z.output<S>> {
  const parsed = schema.safeParse(fromDraft(json, draft));
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: issuesToErrors(parsed.error.issues) };
}

/** Immutable update of a draft at a path. */
export function setAt(draft: Draft, path: (string | number)[], value: Draft): Draft {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(draft)) {
    const copy = [...draft] as Draft[];
    copy[head as number] = setAt(copy[head as number] ?? "", rest, value);
    return copy;
  }
  const object = draft && typeof draft === "object" ? draft : {};
  return {
    ...object,
    [head as string]: setAt((object as Record<string, Draft>)[head as string] ?? "", rest, value),
  };
}

/**
 * How the form shows a chosen resource: its title (and image when the picker gave one). `known`
 * is false when Shopify has no such resource any more, or could not be asked: the title is
 * then a sentence saying so.
 */
export interface ResourceLabel {
  title: string;
  image?: string | null;
  /** A variant's price in the shop's currency, when known (the offer preview shows it). */
  price?: string | null;
  known: boolean;
}
