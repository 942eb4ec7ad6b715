/**
 * A small subset of Shopify's search syntax, for the `query:` argument of the sandbox's
 * connections: `term`, `field:value`, `field:"quoted value"`, `field:>10` (also `<`, `>=`, `<=`),
 * `field:prefix*`, `field:*` (has any value), negation with `-` or `NOT`, `OR` between terms
 * and implicit `AND`. Parentheses are ignored (terms inside them are read as if ungrouped).
 * Unknown fields are ignored and reported as warnings, as Shopify does.
 */

export type SearchValue =
  string | number | boolean | null | undefined | readonly (string | number)[];

export interface SearchTerm {
  field: string | null;
  op: ":" | ">" | "<" | ">=" | "<=";
  value: string;
  negate: boolean;
}

/** Disjunctive groups: the query matches when every group has at least one matching term. */
export type ParsedSearch = SearchTerm[][];

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const char of query) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    if (char === "(" || char === ")") {
      if (current) tokens.push(current);
      current = "";
      continue;
    }
    if (/\s/.test(char)) {
      if (current) tokens.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (current) tokens.push(current);
  return tokens;
}

export function parseSearch(query: string): ParsedSearch {
  const groups: ParsedSearch = [];
  let negateNext = false;
  let joinWithPrevious = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      joinWithPrevious = groups.length > 0;
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let text = token;
    let negate = negateNext;
    negateNext = false;
    if (text.startsWith("-") && text.length > 1) {
      negate = !negate;
      text = text.slice(1);
    }
    const match = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?(.*)$/.exec(text);
    const term: SearchTerm = match
      ? {
          field: match[1]!.toLowerCase(),
          op: (match[2] as SearchTerm["op"] | undefined) ?? ":",
          value: match[3]!,
          negate,
        }
      : { field: null, op: ":", value: text, negate };
    if (joinWithPrevious) groups[groups.length - 1]!.push(term);
    else groups.push([term]);
    joinWithPrevious = false;
  }
  return groups;
}

function compare(actual: string | number, op: SearchTerm["op"], wanted: string): boolean {
  const asNumber = Number(wanted);
  if (typeof actual === "number" && wanted !== "" && Number.isFinite(asNumber)) {
    if (op === ">") return actual > asNumber;
    if (op === "<") return actual < asNumber;
    if (op === ">=") return actual >= asNumber;
    if (op === "<=") return actual <= asNumber;
    return actual === asNumber;
  }
  const a = String(actual).toLowerCase();
  const w = wanted.toLowerCase();
  if (op === ">") return a > w;
  if (op === "<") return a < w;
  if (op === ">=") return a >= w;
  if (op === "<=") return a <= w;
  if (w.endsWith("*")) return a.startsWith(w.slice(0, -1));
  // Dates compare by prefix: created_at:2026-10-01 matches any time that day.
  if (/^\d{4}-\d{2}-\d{2}/.test(a) && /^\d{4}-\d{2}-\d{2}$/.test(w)) return a.startsWith(w);
  return a === w;
}

function matchesValue(value: SearchValue, term: SearchTerm): boolean {
  if (term.value === "*")
    return Array.isArray(value)
      ? value.length > 0
      : value !== null && value !== undefined && value !== "";
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => compare(item, term.op, term.value));
  if (typeof value === "boolean") return String(value) === term.value.toLowerCase();
  return compare(value as string | number, term.op, term.value);
}

export interface SearchSpec<T> {
  /** Field name (lowercase, as in the query) → value(s) of the record. */
  fields: Record<string, (record: T) => SearchValue>;
  /** Text a bare term is matched against (word prefix, case-insensitive). */
  text: (record: T) => string[];
}

export interface SearchResult<T> {
  items: T[];
  /** Fields the query used that this resource doesn't support. */
  unknownFields: string[];
}

/** Filters records by a Shopify-style search query. */
export function applySearch<T>(
  records: readonly T[],
  query: string | null | undefined,
  spec: SearchSpec<T>,
): SearchResult<T> {
  if (!query || !query.trim()) return { items: [...records], unknownFields: [] };
  const groups = parseSearch(query);
  const unknownFields = new Set<string>();
  for (const group of groups)
    for (const term of group)
      if (term.field && !spec.fields[term.field]) unknownFields.add(term.field);
  const termMatches = (record: T, term: SearchTerm): boolean => {
    let hit: boolean;
    if (term.field === null) {
      const needle = term.value.toLowerCase().replace(/\*$/, "");
      hit = spec.text(record).some((text) => {
        const haystack = text.toLowerCase();
        return needle.includes(" ")
          ? haystack.includes(needle)
          : haystack.split(/[^a-z0-9@.#_-]+/).some((word) => word.startsWith(needle));
      });
    } else if (!spec.fields[term.field]) {
      return true; // ignored, like Shopify does with a warning
    } else {
      hit = matchesValue(spec.fields[term.field]!(record), term);
    }
    return term.negate ? !hit : hit;
  };
  const items = records.filter((record) =>
    groups.every((group) => group.some((term) => termMatches(record, term))),
  );
  return { items, unknownFields: [...unknownFields] };
}
