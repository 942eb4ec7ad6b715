import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Loads Klaviyo's OpenAPI document (revision-pinned) and answers what the fake needs from it:
 * which operations exist, their scopes, rate limits, query parameters and filters, and whether
 * a request body matches the operation's requestBody schema. Validators are compiled with ajv
 * once per spec file and cached for the life of the process.
 */

export const KLAVIYO_PINNED_REVISION = "2026-07-15";

/** Environment variable that points at the spec file when it is not in a default place. */
export const KLAVIYO_SPEC_ENV = "KLAVIYO_OPENAPI_SPEC";

const SPEC_FILE = `openapi-${KLAVIYO_PINNED_REVISION}.json`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface KlaviyoRateLimitSpec {
  /** Requests per 1-second window. */
  burst: number;
  /** Requests per 1-minute window. */
  steady: number;
  /** Requests per day, where the spec sets one (create_list: 150/d). */
  daily?: number;
}

export interface KlaviyoQueryParamSpec {
  name: string;
  required: boolean;
  schema: JsonObject;
}

export interface KlaviyoFilterFieldSpec {
  /** Every operator the spec allows on this field (list and single forms together). */
  operators: string[];
  valueType?: string;
  valueFormat?: string;
}

export interface KlaviyoOperationSpec {
  operationId: string;
  method: string;
  pathTemplate: string;
  scopes: string[];
  rateLimit: KlaviyoRateLimitSpec;
  queryParams: Map<string, KlaviyoQueryParamSpec>;
  filters: Map<string, KlaviyoFilterFieldSpec>;
  /** Name under components.schemas of the JSON body schema, when the operation takes a body. */
  requestSchema?: string;
  /** Response schema names by status code ("200", "201", "202", …). */
  responseSchemas: Map<string, string | undefined>;
}

export interface KlaviyoPathMatch {
  template: string;
  params: Record<string, string>;
  /** Upper-case HTTP method → operationId. */
  operations: Map<string, string>;
}

/** One problem found in a request body, already phrased the way the fake reports it. */
export interface KlaviyoBodyIssue {
  pointer: string;
  keyword: string;
  detail: string;
}

export interface KlaviyoSpecTimings {
  readMs: number;
  parseMs: number;
  /** Time spent compiling request validators so far. */
  compileMs: number;
}

export interface KlaviyoSpec {
  revision: string;
  file: string;
  operations: ReadonlyMap<string, KlaviyoOperationSpec>;
  matchPath(pathname: string): KlaviyoPathMatch | undefined;
  /** Compiles (once) the request validators of these operations; returns ms spent now. */
  precompile(operationIds: readonly string[]): number;
  /** [] when the body is valid for the operation's requestBody schema. */
  validateRequestBody(operationId: string, body: unknown): KlaviyoBodyIssue[];
  /** [] when the body matches the spec's response schema for that status (for tests). */
  validateResponseBody(operationId: string, status: number, body: unknown): string[];
  timings: KlaviyoSpecTimings;
}

export interface LoadKlaviyoSpecOptions {
  /** Spec file; otherwise $KLAVIYO_OPENAPI_SPEC, then the usual places (see resolveKlaviyoSpecPath). */
  file?: string;
  /**
   * Reject attributes a resource does not declare (`'foo' is not a valid field for the resource
   * 'profile'`), as Klaviyo does. The spec itself leaves additionalProperties open. Default true.
   */
  strictAttributes?: boolean;
}

/**
 * Finds the spec: explicit path, $KLAVIYO_OPENAPI_SPEC, then `reference/klaviyo/` in the repo, then
 * the shared reference folder beside the repo (`../shared/reference/klaviyo/`).
 */
export function resolveKlaviyoSpecPath(explicit?: string): string {
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  const candidates = [
    explicit,
    process.env[KLAVIYO_SPEC_ENV],
    path.join(repoRoot, "reference/klaviyo", SPEC_FILE),
    path.join(repoRoot, "../shared/reference/klaviyo", SPEC_FILE),
    path.resolve(process.cwd(), "reference/klaviyo", SPEC_FILE),
    path.resolve(process.cwd(), "../shared/reference/klaviyo", SPEC_FILE),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `Klaviyo OpenAPI spec ${SPEC_FILE} not found. Set ${KLAVIYO_SPEC_ENV} to its path. Looked in: ${candidates.join(", ")}`,
    );
  }
  return found;
}

const cache = new Map<string, KlaviyoSpec>();

/** Loads and indexes the spec; cached per (file, strictness) for the process. */
export function loadKlaviyoSpec(options: LoadKlaviyoSpecOptions = {}): KlaviyoSpec {
  const file = resolveKlaviyoSpecPath(options.file);
  const strict = options.strictAttributes ?? true;
  const key = `${file}\u0000${strict}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const spec = buildSpec(file, strict);
  cache.set(key, spec);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Spec indexing

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const SCHEMA_REF_PREFIX = "#/components/schemas/";

function refName(schema: Json | undefined): string | undefined {
  if (!isObject(schema) || typeof schema.$ref !== "string") return undefined;
  return schema.$ref.startsWith(SCHEMA_REF_PREFIX)
    ? schema.$ref.slice(SCHEMA_REF_PREFIX.length)
    : undefined;
}

function parseRate(value: Json | undefined, unit: string): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+)\/([smd])$/.exec(value.trim());
  return match && match[2] === unit ? Number(match[1]) : undefined;
}

function jsonBodySchema(content: Json | undefined): string | undefined {
  if (!isObject(content)) return undefined;
  const media = content["application/vnd.api+json"] ?? content["application/json"];
  return isObject(media) ? refName(media.schema) : undefined;
}

function buildSpec(file: string, strictAttributes: boolean): KlaviyoSpec {
  const t0 = performance.now();
  const text = readFileSync(file, "utf8");
  const t1 = performance.now();
  const document = JSON.parse(text) as JsonObject;
  const t2 = performance.now();

  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const sharedParams = isObject(components.parameters) ? components.parameters : {};
  const info = isObject(document.info) ? document.info : {};
  const paths = isObject(document.paths) ? document.paths : {};

  const operations = new Map<string, KlaviyoOperationSpec>();
  const routes: Array<{
    template: string;
    regex: RegExp;
    names: string[];
    statics: number;
    operations: Map<string, string>;
  }> = [];

  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const byMethod = new Map<string, string>();
    for (const [method, raw] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method) || !isObject(raw)) continue;
      const operationId = String(raw.operationId);
      const queryParams = new Map<string, KlaviyoQueryParamSpec>();
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(raw.parameters) ? raw.parameters : []),
      ];
      for (let param of params) {
        const shared =
          isObject(param) && typeof param.$ref === "string"
            ? sharedParams[param.$ref.split("/").pop() ?? ""]
            : undefined;
        if (shared) param = shared;
        if (!isObject(param) || param.in !== "query") continue;
        queryParams.set(String(param.name), {
          name: String(param.name),
          required: param.required === true,
          schema: isObject(param.schema) ? param.schema : {},
        });
      }
      const filters = new Map<string, KlaviyoFilterFieldSpec>();
      const rawFilters = raw["x-klaviyo-filters"];
      if (isObject(rawFilters)) {
        for (const [field, spec] of Object.entries(rawFilters)) {
          if (!isObject(spec)) continue;
          const operators = new Set<string>();
          if (isObject(spec.operators)) {
            for (const group of Object.values(spec.operators)) {
              if (Array.isArray(group)) group.forEach((op) => operators.add(String(op)));
            }
          }
          const value = isObject(spec.value) ? spec.value : {};
          filters.set(field, {
            operators: [...operators],
            valueType: typeof value.type === "string" ? value.type : undefined,
            valueFormat: typeof value.format === "string" ? value.format : undefined,
          });
        }
      }
      const rate = isObject(raw["x-klaviyo-ratelimit"]) ? raw["x-klaviyo-ratelimit"] : {};
      const responseSchemas = new Map<string, string | undefined>();
      if (isObject(raw.responses)) {
        for (const [status, response] of Object.entries(raw.responses)) {
          if (!/^\d{3}$/.test(status) || !isObject(response)) continue;
          responseSchemas.set(status, jsonBodySchema(response.content));
        }
      }
      const requestBody = isObject(raw.requestBody) ? raw.requestBody : undefined;
      operations.set(operationId, {
        operationId,
        method: method.toUpperCase(),
        pathTemplate: template,
        scopes: Array.isArray(raw["x-klaviyo-scopes"]) ? raw["x-klaviyo-scopes"].map(String) : [],
        rateLimit: {
          burst: parseRate(rate.burst, "s") ?? Number.POSITIVE_INFINITY,
          steady: parseRate(rate.steady, "m") ?? Number.POSITIVE_INFINITY,
          daily: parseRate(rate.daily, "d"),
        },
        queryParams,
        filters,
        requestSchema: requestBody ? jsonBodySchema(requestBody.content) : undefined,
        responseSchemas,
      });
      byMethod.set(method.toUpperCase(), operationId);
    }
    const names: string[] = [];
    const segments = template.split("/").filter(Boolean);
    const pattern = segments
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          names.push(param[1]!);
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    routes.push({
      template,
      regex: new RegExp(`^/${pattern}/?$`),
      names,
      statics: segments.length - names.length,
      operations: byMethod,
    });
  }
  // A static segment beats a parameter: /api/lists/{id} must not swallow a fixed sibling path.
  routes.sort((a, b) => b.statics - a.statics);

  const requestValidators = new Validators(schemas, strictAttributes);
  const responseValidators = new Validators(schemas, false);
  const timings: KlaviyoSpecTimings = { readMs: t1 - t0, parseMs: t2 - t1, compileMs: 0 };

  const requestValidator = (operationId: string): ValidateFunction | undefined => {
    const op = operations.get(operationId);
    if (!op?.requestSchema) return undefined;
    const started = performance.now();
    const validate = requestValidators.get(op.requestSchema);
    timings.compileMs += performance.now() - started;
    return validate;
  };

  return {
    revision: typeof info.version === "string" ? info.version : KLAVIYO_PINNED_REVISION,
    file,
    operations,
    timings,
    matchPath(pathname) {
      for (const route of routes) {
        const match = route.regex.exec(pathname);
        if (!match) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(match[index + 1]!);
        });
        return { template: route.template, params, operations: route.operations };
      }
      return undefined;
    },
    precompile(operationIds) {
      const before = timings.compileMs;
      operationIds.forEach((id) => requestValidator(id));
      return timings.compileMs - before;
    },
    validateRequestBody(operationId, body) {
      const validate = requestValidator(operationId);
      if (!validate) return [];
      if (validate(body)) return [];
      return describeErrors(validate.errors ?? [], body);
    },
    validateResponseBody(operationId, status, body) {
      const op = operations.get(operationId);
      if (!op) return [`unknown operation ${operationId}`];
      if (!op.responseSchemas.has(String(status))) {
        return [`${operationId} has no ${status} response in the spec`];
      }
      const schemaName = op.responseSchemas.get(String(status));
      if (!schemaName) return body === undefined || body === "" ? [] : ["expected no body"];
      const validate = responseValidators.get(schemaName);
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (error) => `${error.instancePath || "/"} ${error.message ?? error.keyword}`,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv

const ANNOTATIONS = new Set([
  "description",
  "example",
  "examples",
  "externalDocs",
  "xml",
  "deprecated",
  "readOnly",
  "writeOnly",
  "discriminator",
  "title",
]);

const SCHEMA_BASE = "https://klaviyo.fake/schemas/";

class Validators {
  private readonly ajv: Ajv;
  private readonly added = new Set<string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly source: JsonObject,
    private readonly strictAttributes: boolean,
  ) {
    this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
  }

  get(name: string): ValidateFunction {
    const existing = this.compiled.get(name);
    if (existing) return existing;
    this.include(name);
    const validate = this.ajv.getSchema(SCHEMA_BASE + name);
    if (!validate) throw new Error(`could not compile Klaviyo schema ${name}`);
    this.compiled.set(name, validate);
    return validate;
  }

  /** Registers `name` and every schema it references, transitively, each under its own $id. */
  private include(name: string): void {
    const pending = [name];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (this.added.has(next)) continue;
      const raw = this.source[next];
      if (raw === undefined) throw new Error(`Klaviyo spec has no schema ${next}`);
      const refs = new Set<string>();
      const converted = this.convert(raw, refs);
      this.ajv.addSchema({ ...(isObject(converted) ? converted : {}), $id: SCHEMA_BASE + next });
      this.added.add(next);
      refs.forEach((ref) => pending.push(ref));
    }
  }

  private convert(schema: Json, refs: Set<string>): Json {
    if (!isObject(schema)) return schema;
    const ref = refName(schema);
    if (ref !== undefined) {
      refs.add(ref);
      // OpenAPI 3.0 ignores siblings of $ref except that this spec uses `nullable` beside it.
      const target: Json = { $ref: SCHEMA_BASE + ref };
      return schema.nullable === true ? { anyOf: [target, { type: "null" }] } : target;
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(schema)) {
      if (ANNOTATIONS.has(key) || key.startsWith("x-") || key === "nullable") continue;
      if (key === "properties" && isObject(value)) {
        const props: JsonObject = {};
        for (const [prop, sub] of Object.entries(value)) props[prop] = this.convert(sub, refs);
        out.properties = props;
      } else if ((key === "items" || key === "not") && isObject(value)) {
        out[key] = this.convert(value, refs);
      } else if (key === "additionalProperties" && isObject(value)) {
        out[key] = this.convert(value, refs);
      } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
        out[key] = value.map((sub) => this.convert(sub, refs));
      } else {
        out[key] = value;
      }
    }
    if (this.strictAttributes && isObject(out.properties)) {
      // A resource object ({type, attributes}): its attributes accept only declared fields.
      const attributes = out.properties.attributes;
      if ("type" in out.properties && isObject(attributes) && isObject(attributes.properties)) {
        attributes.additionalProperties = false;
      }
    }
    if (schema.nullable === true) {
      if (typeof out.type === "string") {
        out.type = [out.type, "null"];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
        return out;
      }
      return { anyOf: [out, { type: "null" }] };
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// ajv errors → Klaviyo-style issues

function decodePointer(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The resource type whose attributes hold `pointer` (walks the body along the pointer). */
function resourceAt(body: unknown, pointer: string): string | undefined {
  let node: unknown = body;
  let resource: string | undefined;
  for (const segment of decodePointer(pointer)) {
    if (segment === "attributes" && isObject(node) && typeof node.type === "string") {
      resource = node.type;
    }
    if (isObject(node)) node = node[segment];
    else if (Array.isArray(node)) node = node[Number(segment)];
    else break;
  }
  return resource;
}

function valueAt(body: unknown, pointer: string): unknown {
  let node: unknown = body;
  for (const segment of decodePointer(pointer)) {
    if (isObject(node)) node = node[segment];
    else if (Array.isArray(node)) node = node[Number(segment)];
    else return undefined;
  }
  return node;
}

function lastSegment(pointer: string): string {
  const parts = decodePointer(pointer);
  return parts[parts.length - 1] ?? "";
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeErrors(errors: ErrorObject[], body: unknown): KlaviyoBodyIssue[] {
  // Drop the combinator summaries and the `null` branch of nullable refs: they restate the
  // real problem, which ajv also reports.
  const specific = errors.filter(
    (error) =>
      !["anyOf", "oneOf", "allOf", "if"].includes(error.keyword) &&
      !(error.keyword === "type" && error.params.type === "null"),
  );
  const chosen = specific.length > 0 ? specific : errors;
  // oneOf [string, number] yields one type error per branch: report them as one.
  const typesAt = new Map<string, Set<string>>();
  for (const error of chosen) {
    if (error.keyword !== "type") continue;
    const types = typesAt.get(error.instancePath) ?? new Set<string>();
    String(error.params.type)
      .split(",")
      .filter((t) => t !== "null")
      .forEach((t) => types.add(t));
    typesAt.set(error.instancePath, types);
  }
  const issues: KlaviyoBodyIssue[] = [];
  const seen = new Set<string>();
  for (const error of chosen) {
    const merged = error.keyword === "type" ? typesAt.get(error.instancePath) : undefined;
    const issue = describe(
      merged ? { ...error, params: { type: [...merged].join(",") } } : error,
      body,
    );
    const key = `${issue.pointer}\u0000${issue.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function describe(error: ErrorObject, body: unknown): KlaviyoBodyIssue {
  const base = error.instancePath;
  const at = base || "/";
  switch (error.keyword) {
    case "required": {
      const field = String(error.params.missingProperty);
      const pointer = `${base}/${field}`;
      const resource = resourceAt(body, pointer);
      return {
        pointer,
        keyword: "required",
        detail: resource
          ? `'${field}' is a required field for the resource '${resource}'.`
          : `'${field}' is a required field.`,
      };
    }
    case "additionalProperties": {
      const field = String(error.params.additionalProperty);
      const pointer = `${base}/${field}`;
      const resource = resourceAt(body, pointer) ?? "unknown";
      return {
        pointer,
        keyword: "additionalProperties",
        detail: `'${field}' is not a valid field for the resource '${resource}'.`,
      };
    }
    case "enum": {
      const field = lastSegment(base);
      const allowed = (error.params.allowedValues as unknown[]).filter((v) => v !== null);
      const value = valueAt(body, base);
      if (field === "type" && allowed.length === 1) {
        return {
          pointer: at,
          keyword: "enum",
          detail: `Invalid resource type ${show(value)}; expected '${String(allowed[0])}'.`,
        };
      }
      return {
        pointer: at,
        keyword: "enum",
        detail: `${show(value)} is not a valid choice for '${field}'. Valid choices: ${allowed.map(String).join(", ")}.`,
      };
    }
    case "type": {
      const expected = String(error.params.type)
        .split(",")
        .filter((t) => t !== "null");
      return {
        pointer: at,
        keyword: "type",
        detail: `Invalid value for '${lastSegment(base) || "body"}': expected ${expected.join(" or ")}, got ${show(valueAt(body, base))}.`,
      };
    }
    case "format":
      return {
        pointer: at,
        keyword: "format",
        detail: `${show(valueAt(body, base))} is not a valid ${String(error.params.format)} for '${lastSegment(base)}'.`,
      };
    default:
      return {
        pointer: at,
        keyword: error.keyword,
        detail: `Invalid value for '${lastSegment(base) || "body"}': ${error.message ?? error.keyword}.`,
      };
  }
}
