/**
 * A loopback fake of Shopify's Admin GraphQL API, backed by the sandbox store.
 *
 *   POST /admin/api/{YYYY-MM|unstable}/graphql.json   body {query, variables, operationName}
 *
 * What it does, in the order Shopify does it:
 * 1. Auth: `X-Shopify-Access-Token` must be registered for the shop → else 401 with Shopify's
 *    body. The shop comes from the token; `x-sandbox-shop` or a `*.myshopify.com` Host header
 *    may name it too, and must then match the token's shop.
 * 2. Validation against the Admin API 2025-04 schema (graphql-js `buildSchema`, built once per
 *    process), with since-markers for newer fields (see below). Invalid → HTTP 200
 *    `{errors:[{message, locations, path, extensions:{code}}]}` in Shopify's wording
 *    ("Field 'x' doesn't exist on type 'Y'", code `undefinedField`, …).
 * 3. Cost: requestedQueryCost from the document (scalars/enums 0, objects 1, connections
 *    2 + first|last × the cost of one node, `nodes(ids:)` × ids, mutations 10 per root field).
 *    Over 1,000 → `MAX_COST_EXCEEDED`. A leaky bucket per shop (default 2,000 points,
 *    100 points/s): when the requested cost exceeds what is available → `Throttled`
 *    (`extensions.code` THROTTLED), not executed.
 * 4. Execution with resolvers over the store (sandbox/store/admin-graphql.ts). The bucket is
 *    charged the requested cost and refunded down to the actual cost. Every executed or
 *    throttled response carries `extensions.cost{requestedQueryCost, actualQueryCost,
 *    throttleStatus{maximumAvailable, currentlyAvailable, restoreRate}}` (and
 *    `extensions.search` warnings for unknown `query:` fields). Responses that fail auth,
 *    parsing, validation or variable coercion carry no cost (nothing was analysed or charged).
 *
 *
 *   POST /admin/oauth/access_token   (Shopify's OAuth token endpoint; see handleAccessTokenRequest)
 *
 * - Token exchange (`grant_type` urn:ietf:params:oauth:grant-type:token-exchange): the app's
 *   `client_id`/`client_secret` and a session token (`subject_token`, an HS256 JWT signed with
 *   the client secret, `aud` the client id, `dest` the shop) become an access token for that
 *   shop. Offline tokens with `expiring: "1"` expire in an hour and come with a refresh token
 *   (90 days); without it the offline token does not expire and is the same on every exchange.
 *   Online tokens carry `expires_in` and `associated_user`. A bad or expired session token →
 *   400 `invalid_subject_token`; unknown client or wrong secret → 401 `invalid_client`.
 * - Refresh (`grant_type` refresh_token): a refresh token issued here becomes a new access
 *   token and a new refresh token; the old pair stops working (rotation). Unknown → 400
 *   `invalid_grant`.
 * Issued access tokens are accepted by the GraphQL endpoint like the sandbox's fixed ones.
 *
 * ## Since-markers: fields newer than the 2025-04 schema
 *
 * The app pins a newer API version (2026-10) than the schema copy we have (2025-04). A document
 * may use something added after 2025-04 only if it declares it in a comment line:
 *
 *   # since 2025-07: Order.someNewField: String
 *   # since 2025-10: FulfillmentEventStatus.CARRIER_PICKED_UP
 *   # since 2026-01: Product.newConnection(first: Int): ProductVariantConnection!
 *   # since 2026-01: type NewThing { id: ID! }
 *
 * - `Type.field[(args)]: ReturnType` adds a field to an object type, interface (and its
 *   implementations) or input object; `Enum.VALUE` adds an enum value; a line starting with
 *   `type`, `enum`, `input`, `interface`, `union`, `scalar` or `extend` is taken as SDL.
 * - The version must be a quarterly release after 2025-04 and no later than the app's pinned
 *   2026-10; a marker for something 2025-04 already has is an error (so markers can't go stale
 *   silently). Declared fields are validated like any other (arguments, sub-selections) and
 *   resolve to null in the fake. New arguments on existing fields can't be declared.
 */

import { createSecretKey, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import {
  GraphQLError,
  GraphQLSkipDirective,
  GraphQLIncludeDirective,
  Kind,
  TypeInfo,
  buildSchema,
  execute,
  extendSchema,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  parse,
  print,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { jwtVerify } from "jose";
import {
  startFake,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type StartFakeOptions,
} from "./common";
import {
  adminFieldResolver,
  adminTypeResolver,
  createAdminContext,
  DEFAULT_ACCESS_SCOPES,
  isConnectionTypeName,
  isFreeCostType,
  type AdminMutationEvent,
} from "../store/admin-graphql";
import { createSandboxStore, DEFAULT_SHOP_DOMAIN } from "../store/generate";
import { BulkOperations, type BulkKnobs, type BulkWebhookTarget } from "./shopify-admin-bulk";
import { BillingPages } from "./shopify-admin-billing";
import type { SandboxStore } from "../store/types";

export type { AdminMutationEvent } from "../store/admin-graphql";
export type { BulkKnobs, BulkWebhookTarget } from "./shopify-admin-bulk";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** The schema copy we validate against. */
export const SCHEMA_API_VERSION = "2025-04";
/** The version the app pins; since-markers may name versions up to this one. */
export const APP_API_VERSION = "2026-10";
/** Environment variable pointing at the schema SDL when it isn't in a default place. */
export const SHOPIFY_ADMIN_SCHEMA_ENV = "SHOPIFY_ADMIN_SCHEMA";
export const MAX_SINGLE_QUERY_COST = 1000;
export const DEFAULT_BUCKET = { maximumAvailable: 2000, restoreRate: 100 } as const;
export const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};

/** The access token the fake accepts for a sandbox shop unless told otherwise. */
export function sandboxAccessToken(shopDomain: string): string {
  return `shpat_sandbox_${shopDomain.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "")}`;
}

/** Token for the default shop (switchboard-sandbox.myshopify.com): `shpat_sandbox_switchboard-sandbox`. */
export const SANDBOX_ACCESS_TOKEN = sandboxAccessToken(DEFAULT_SHOP_DOMAIN);

const SCHEMA_FILE = `admin-${SCHEMA_API_VERSION}.schema.graphql`;

/**
 * Enum values newer than 2025-04 that the fake itself returns (output-only enums, so no
 * document can write them): bulk queries past 2026-01's five concurrent get LIMIT_REACHED.
 */
const NEWER_OUTPUT_VALUES = `extend enum BulkOperationUserErrorCode { LIMIT_REACHED }`;

// ---------------------------------------------------------------------------------------------
// Schema (built once per process)
// ---------------------------------------------------------------------------------------------

/** Finds the SDL: explicit path, $SHOPIFY_ADMIN_SCHEMA, then reference folders near the repo. */
export function resolveAdminSchemaPath(explicit?: string): string {
  const candidates = [
    explicit,
    process.env[SHOPIFY_ADMIN_SCHEMA_ENV],
    path.resolve(process.cwd(), "reference/shopify", SCHEMA_FILE),
    path.resolve(process.cwd(), "../shared/reference/shopify", SCHEMA_FILE),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `Shopify Admin schema ${SCHEMA_FILE} not found. Set ${SHOPIFY_ADMIN_SCHEMA_ENV} to its path. Looked in: ${candidates.join(", ")}`,
    );
  }
  return found;
}

export interface LoadedAdminSchema {
  file: string;
  schema: GraphQLSchema;
  /** Milliseconds spent reading and building the schema the first time. */
  readMs: number;
  buildMs: number;
}

const schemas = new Map<string, LoadedAdminSchema>();

/** Reads and builds the Admin schema once per file for the life of the process. */
export function loadAdminSchema(file?: string): LoadedAdminSchema {
  const resolved = resolveAdminSchemaPath(file);
  const cached = schemas.get(resolved);
  if (cached) return cached;
  const t0 = performance.now();
  const sdl = readFileSync(resolved, "utf8");
  const t1 = performance.now();
  const schema = extendSchema(buildSchema(sdl), parse(NEWER_OUTPUT_VALUES));
  const t2 = performance.now();
  const loaded = { file: resolved, schema, readMs: t1 - t0, buildMs: t2 - t1 };
  schemas.set(resolved, loaded);
  return loaded;
}

// ---------------------------------------------------------------------------------------------
// Since-markers
// ---------------------------------------------------------------------------------------------

export interface SinceMarker {
  version: string;
  text: string;
  line: number;
  column: number;
}

const MARKER_LINE = /^([ \t]*#[ \t]*)since[ \t]+(\S+?)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const QUARTERS = new Set(["01", "04", "07", "10"]);

/** The `# since YYYY-MM: …` lines of a document. */
export function findSinceMarkers(source: string): SinceMarker[] {
  const markers: SinceMarker[] = [];
  source.split(/\r\n|\r|\n/).forEach((text, i) => {
    const match = MARKER_LINE.exec(text);
    if (match)
      markers.push({
        version: match[2]!,
        text: match[3]!,
        line: i + 1,
        column: match[1]!.length + 1,
      });
  });
  return markers;
}

interface ExtendedSchema {
  schema: GraphQLSchema;
  declaredFields: Set<string>;
  errors: GraphQLError[];
}

const extendedSchemas = new Map<string, ExtendedSchema>();

function markerError(marker: SinceMarker, message: string): GraphQLError {
  const error = new GraphQLError(`since-marker on line ${marker.line}: ${message}`, {
    extensions: { code: "invalidSinceMarker" },
  });
  Object.defineProperty(error, "locations", {
    value: [{ line: marker.line, column: marker.column }],
    enumerable: true,
  });
  return error;
}

/** Turns a marker into SDL against the base schema, or explains why it can't. */
function markerToSdl(
  base: GraphQLSchema,
  marker: SinceMarker,
  declared: Set<string>,
  newTypes: Set<string>,
): string | GraphQLError {
  const { version, text } = marker;
  if (!/^\d{4}-\d{2}$/.test(version) || !QUARTERS.has(version.slice(5))) {
    return markerError(
      marker,
      `'${version}' isn't a Shopify API version (YYYY-01, -04, -07 or -10).`,
    );
  }
  if (version <= SCHEMA_API_VERSION || version > APP_API_VERSION) {
    return markerError(
      marker,
      `version ${version} must be after ${SCHEMA_API_VERSION} (the schema copy) and no later than ${APP_API_VERSION} (the app's pinned version).`,
    );
  }
  if (/^(extend|type|enum|input|interface|union|scalar)\b/.test(text)) {
    const named = /^(?:type|enum|input|interface|union|scalar)\s+([A-Za-z_]\w*)/.exec(text);
    if (named) newTypes.add(named[1]!);
    return text;
  }
  const enumValue = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(text);
  if (enumValue) {
    const type = base.getType(enumValue[1]!);
    if (!type || !isEnumType(type))
      return markerError(
        marker,
        `${enumValue[1]} is not an enum in ${SCHEMA_API_VERSION}; write 'Type.field: ReturnType' for a field.`,
      );
    if (type.getValue(enumValue[2]!))
      return markerError(
        marker,
        `${enumValue[1]}.${enumValue[2]} already exists in ${SCHEMA_API_VERSION}; remove the marker.`,
      );
    return `extend enum ${enumValue[1]} { ${enumValue[2]} }`;
  }
  const field = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*(\([^)]*\))?\s*:\s*(.+)$/.exec(text);
  if (!field)
    return markerError(
      marker,
      `can't read '${text}'. Expected 'Type.field: ReturnType', 'Enum.VALUE' or SDL.`,
    );
  const [, typeName, fieldName, args = "", returnType] = field as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const type = base.getType(typeName);
  if (!type) {
    if (newTypes.has(typeName))
      return `extend type ${typeName} { ${fieldName}${args}: ${returnType} }`;
    return markerError(
      marker,
      `unknown type ${typeName} (declare a new type with its own 'type ${typeName} { … }' marker first).`,
    );
  }
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    if (type.getFields()[fieldName])
      return markerError(
        marker,
        `${typeName}.${fieldName} already exists in ${SCHEMA_API_VERSION}; remove the marker.`,
      );
  }
  if (isObjectType(type)) {
    declared.add(`${typeName}.${fieldName}`);
    return `extend type ${typeName} { ${fieldName}${args}: ${returnType} }`;
  }
  if (isInterfaceType(type)) {
    const parts = [`extend interface ${typeName} { ${fieldName}${args}: ${returnType} }`];
    declared.add(`${typeName}.${fieldName}`);
    for (const implementation of base.getImplementations(type).objects) {
      if (implementation.getFields()[fieldName]) continue;
      declared.add(`${implementation.name}.${fieldName}`);
      parts.push(`extend type ${implementation.name} { ${fieldName}${args}: ${returnType} }`);
    }
    return parts.join("\n");
  }
  if (isInputObjectType(type)) return `extend input ${typeName} { ${fieldName}: ${returnType} }`;
  return markerError(
    marker,
    `${typeName} is a ${isEnumType(type) ? "enum (write Enum.VALUE)" : "scalar or union"}; only object, interface and input types take fields.`,
  );
}

/** The base schema extended by a document's since-markers (cached per marker set). */
function schemaForMarkers(base: LoadedAdminSchema, markers: SinceMarker[]): ExtendedSchema {
  if (markers.length === 0) return { schema: base.schema, declaredFields: new Set(), errors: [] };
  const key = `${base.file}\u0000${markers.map((m) => `${m.version}:${m.text}`).join("\n")}`;
  const cached = extendedSchemas.get(key);
  if (cached) return cached;
  const declared = new Set<string>();
  const newTypes = new Set<string>();
  const errors: GraphQLError[] = [];
  const sdl: string[] = [];
  for (const marker of [...markers].sort(
    (a, b) =>
      Number(/^(type|enum|input|interface|union|scalar)\b/.test(b.text)) -
      Number(/^(type|enum|input|interface|union|scalar)\b/.test(a.text)),
  )) {
    const result = markerToSdl(base.schema, marker, declared, newTypes);
    if (typeof result === "string") sdl.push(result);
    else errors.push(result);
  }
  if (errors.length > 0) return { schema: base.schema, declaredFields: declared, errors };
  try {
    const schema = extendSchema(base.schema, parse(sdl.join("\n")));
    // Every field the markers added (also through raw SDL) resolves to null in the fake.
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const before = base.schema.getType(type.name);
      const known =
        before && (isObjectType(before) || isInterfaceType(before)) ? before.getFields() : {};
      for (const name of Object.keys(type.getFields()))
        if (!(name in known)) declared.add(`${type.name}.${name}`);
    }
    const extended = { schema, declaredFields: declared, errors: [] };
    if (extendedSchemas.size > 200) extendedSchemas.clear();
    extendedSchemas.set(key, extended);
    return extended;
  } catch (error) {
    const first = markers[0]!;
    return {
      schema: base.schema,
      declaredFields: declared,
      errors: [
        markerError(
          first,
          `the declared SDL doesn't apply to ${SCHEMA_API_VERSION}: ${(error as Error).message}`,
        ),
      ],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Validation with Shopify's wording
// ---------------------------------------------------------------------------------------------

interface NodeInfo {
  path: string[];
  argumentName?: string;
  argumentType?: string;
  parentKind?: string;
  variableName?: string;
}

/** Path (graphql-ruby style: "query Name", fields by response key, "... on Type") and context of every node. */
function describeNodes(schema: GraphQLSchema, document: DocumentNode): Map<ASTNode, NodeInfo> {
  const infos = new Map<ASTNode, NodeInfo>();
  const stack: string[] = [];
  const pushed: boolean[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node, _key, parent) {
        let segment: string | null = null;
        if (node.kind === Kind.OPERATION_DEFINITION)
          segment = node.name ? `${node.operation} ${node.name.value}` : node.operation;
        else if (node.kind === Kind.FRAGMENT_DEFINITION) segment = `fragment ${node.name.value}`;
        else if (node.kind === Kind.FIELD) segment = node.alias?.value ?? node.name.value;
        else if (node.kind === Kind.INLINE_FRAGMENT)
          segment = node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...";
        else if (node.kind === Kind.FRAGMENT_SPREAD) segment = `... ${node.name.value}`;
        if (segment !== null) stack.push(segment);
        pushed.push(segment !== null);
        const argument = typeInfo.getArgument();
        const parentNode = parent && !Array.isArray(parent) ? (parent as ASTNode) : undefined;
        infos.set(node, {
          path: [...stack],
          argumentName: argument?.name,
          argumentType: argument ? String(argument.type) : undefined,
          parentKind: parentNode?.kind,
          variableName:
            parentNode?.kind === Kind.VARIABLE_DEFINITION
              ? parentNode.variable.name.value
              : undefined,
        });
      },
      leave() {
        if (pushed.pop()) stack.pop();
      },
    }),
  );
  return infos;
}

function namedTypeName(typeString: string): string {
  return typeString.replace(/[[\]!]/g, "");
}

const PUNCTUATORS: Record<string, string> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  $: "VAR_SIGN",
  "!": "BANG",
  "=": "EQUALS",
  "@": "DIR_SIGN",
  "...": "ELLIPSIS",
  "|": "PIPE",
  "&": "AMP",
};

/** graphql-js syntax errors in graphql-ruby's wording ("Parse error on "}" (RCURLY) at [3, 1]"). */
function parseErrorToShopify(error: GraphQLError): GraphQLError {
  const location = error.locations?.[0] ?? { line: 1, column: 1 };
  const description = error.message.replace(/^Syntax Error:\s*/, "");
  let message: string;
  if (/<EOF>/.test(description)) {
    message = "Unexpected end of document";
  } else {
    const token =
      /(?:found|Unexpected)\s+(?:(Name|String|Int|Float|BlockString)\s+)?("(?:[^"\\]|\\.)*"|\S+?)\.?$/.exec(
        description,
      );
    const kindWord = token?.[1];
    const raw = token?.[2] ?? description;
    const text = raw.startsWith('"') ? raw : `"${raw}"`;
    const bare = text.slice(1, -1);
    const kind =
      kindWord === "Name"
        ? "IDENTIFIER"
        : kindWord === "Int"
          ? "INT"
          : kindWord === "Float"
            ? "FLOAT"
            : kindWord
              ? "STRING"
              : (PUNCTUATORS[bare] ?? "UNKNOWN_CHAR");
    message = `Parse error on ${text} (${kind}) at [${location.line}, ${location.column}]`;
  }
  const converted = new GraphQLError(message, { extensions: { code: "parseError" } });
  Object.defineProperty(converted, "locations", { value: [location], enumerable: true });
  return converted;
}

function shopifyError(
  original: GraphQLError,
  message: string,
  extensions: Record<string, unknown>,
  errorPath?: string[],
): GraphQLError {
  const converted = new GraphQLError(message, {
    nodes: original.nodes,
    source: original.source,
    positions: original.positions,
    path: errorPath,
    extensions,
    originalError: original,
  });
  return converted;
}

/** graphql-js validation errors rephrased the way Shopify (graphql-ruby) reports them. */
function toShopifyErrors(
  errors: readonly GraphQLError[],
  document: DocumentNode,
  schema: GraphQLSchema,
): GraphQLError[] {
  if (errors.length === 0) return [];
  const infos = describeNodes(schema, document);
  const converted: GraphQLError[] = [];
  const missing = new Map<
    ASTNode,
    { error: GraphQLError; names: string[]; field: string; kind: string }
  >();
  for (const error of errors) {
    const node = error.nodes?.[0];
    const info = node ? infos.get(node) : undefined;
    const where = info?.path;
    const msg = error.message;
    let r: RegExpExecArray | null;
    if ((r = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Field '${r[1]}' doesn't exist on type '${r[2]}'`,
          { code: "undefinedField", typeName: r[2], fieldName: r[1] },
          where,
        ),
      );
    } else if ((r = /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Field '${r[2]}' doesn't accept argument '${r[1]}'`,
          { code: "argumentNotAccepted", name: r[2], typeName: "Field", argumentName: r[1] },
          where && [...where, r[1]!],
        ),
      );
    } else if ((r = /^Unknown argument "([^"]+)" on directive "@([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Directive '${r[2]}' doesn't accept argument '${r[1]}'`,
          { code: "argumentNotAccepted", name: r[2], typeName: "Directive", argumentName: r[1] },
          where,
        ),
      );
    } else if (
      (r =
        /^(Field|Directive) "@?([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./.exec(
          msg,
        )) &&
      node
    ) {
      const entry = missing.get(node) ?? { error, names: [], field: r[2]!, kind: r[1]! };
      entry.names.push(r[3]!);
      missing.set(node, entry);
    } else if (
      (r = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\./.exec(msg))
    ) {
      const typeName = namedTypeName(r[2]!);
      converted.push(
        shopifyError(
          error,
          `Field must have selections (field '${r[1]}' returns ${typeName} but has no selections. Did you mean '${r[1]} { ... }'?)`,
          { code: "selectionMismatch", nodeName: `field '${r[1]}'`, typeName },
          where,
        ),
      );
    } else if (
      (r =
        /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./.exec(
          msg,
        ))
    ) {
      const set =
        node?.kind === Kind.SELECTION_SET
          ? node
          : node?.kind === Kind.FIELD
            ? node.selectionSet
            : undefined;
      const selections = set
        ? set.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : print(s)))
        : [];
      converted.push(
        shopifyError(
          error,
          `Selections can't be made on scalars (field '${r[1]}' returns ${namedTypeName(r[2]!)} but has selections [${selections.join(", ")}])`,
          {
            code: "selectionMismatch",
            nodeName: `field '${r[1]}'`,
            typeName: namedTypeName(r[2]!),
          },
          where,
        ),
      );
    } else if ((r = /^Unknown type "([^"]+)"\./.exec(msg))) {
      if (
        info?.variableName !== undefined ||
        info?.parentKind === Kind.VARIABLE_DEFINITION ||
        info?.parentKind === Kind.NON_NULL_TYPE ||
        info?.parentKind === Kind.LIST_TYPE
      ) {
        converted.push(
          shopifyError(
            error,
            `${r[1]} isn't a defined input type (on $${info?.variableName ?? "?"})`,
            { code: "variableRequiresValidType", typeName: r[1], variableName: info?.variableName },
            where,
          ),
        );
      } else {
        converted.push(
          shopifyError(
            error,
            `No such type ${r[1]}, so it can't be a fragment condition`,
            { code: "undefinedType", typeName: r[1] },
            where,
          ),
        );
      }
    } else if (
      (r = /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?\./.exec(msg))
    ) {
      converted.push(
        shopifyError(
          error,
          `Variable $${r[1]} is used by ${r[2] ?? "anonymous query"} but not declared`,
          { code: "variableNotDefined", variableName: r[1] },
          where,
        ),
      );
    } else if (
      (r = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(msg))
    ) {
      converted.push(
        shopifyError(
          error,
          `Variable $${r[1]} is declared by ${r[2] ?? "anonymous query"} but not used`,
          { code: "variableNotUsed", variableName: r[1] },
          where,
        ),
      );
    } else if (
      (r =
        /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./.exec(
          msg,
        ))
    ) {
      const nullabilityOnly =
        namedTypeName(r[2]!) === namedTypeName(r[3]!) &&
        r[2]!.replace(/!/g, "") === r[3]!.replace(/!/g, "");
      const argumentName = info?.argumentName ?? r[1];
      converted.push(
        shopifyError(
          error,
          `${nullabilityOnly ? "Nullability" : "Type"} mismatch on variable $${r[1]} and argument ${argumentName} (${r[2]} / ${r[3]})`,
          {
            code: "variableMismatch",
            variableName: r[1],
            typeName: r[2],
            argumentName,
            errorMessage: nullabilityOnly ? "Nullability mismatch" : "Type mismatch",
          },
          where,
        ),
      );
    } else if ((r = /^Fragment "([^"]+)" is never used\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Fragment ${r[1]} was defined, but not used`,
          { code: "useAndDefineFragment", fragmentName: r[1] },
          where,
        ),
      );
    } else if ((r = /^Unknown fragment "([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Fragment ${r[1]} was used, but not defined`,
          { code: "useAndDefineFragment", fragmentName: r[1] },
          where,
        ),
      );
    } else if ((r = /^There can be only one operation named "([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Operation name "${r[1]}" must be unique`,
          { code: "operationNotUnique", operationName: r[1] },
          where,
        ),
      );
    } else if ((r = /^Unknown directive "@([^"]+)"\./.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Directive @${r[1]} is not defined`,
          { code: "undefinedDirective", directiveName: r[1] },
          where,
        ),
      );
    } else if (
      (r =
        /^Fragment (?:"[^"]+" )?cannot be spread here as objects of type "([^"]+)" can never be of type "([^"]+)"\./.exec(
          msg,
        ))
    ) {
      converted.push(
        shopifyError(
          error,
          `Fragment on ${r[2]} can't be spread inside ${r[1]}`,
          { code: "cannotSpreadFragment", typeName: r[2] },
          where,
        ),
      );
    } else if ((r = /^Fields "([^"]+)" conflict because/.exec(msg))) {
      converted.push(
        shopifyError(
          error,
          `Field '${r[1]}' has a field conflict: ${msg.replace(/^Fields "[^"]+" conflict because /, "")}`,
          { code: "fieldConflict", fieldName: r[1] },
          where,
        ),
      );
    } else if (info?.argumentName && node && isValueNode(node)) {
      const field = where?.[where.length - 1] ?? "?";
      converted.push(
        shopifyError(
          error,
          `Argument '${info.argumentName}' on Field '${field}' has an invalid value (${print(node)}). Expected type '${info.argumentType}'.`,
          {
            code: "argumentLiteralsIncompatible",
            typeName: "Field",
            argumentName: info.argumentName,
          },
          where,
        ),
      );
    } else if (/anonymous operation must be the only defined operation/.test(msg)) {
      converted.push(
        shopifyError(
          error,
          "Operation name is required when multiple operations are present",
          { code: "anonymousOperationNotAlone" },
          where,
        ),
      );
    } else {
      converted.push(shopifyError(error, msg, { code: "invalidDocument" }, where));
    }
  }
  for (const { error, names, field, kind } of missing.values()) {
    const node = error.nodes?.[0];
    const where = node ? infos.get(node)?.path : undefined;
    converted.push(
      shopifyError(
        error,
        `${kind} '${field}' is missing required arguments: ${names.join(", ")}`,
        {
          code: "missingRequiredArguments",
          className: kind,
          name: field,
          arguments: names.join(", "),
        },
        where,
      ),
    );
  }
  return converted;
}

function isValueNode(node: ASTNode): node is ValueNode {
  return (
    node.kind === Kind.INT ||
    node.kind === Kind.FLOAT ||
    node.kind === Kind.STRING ||
    node.kind === Kind.BOOLEAN ||
    node.kind === Kind.NULL ||
    node.kind === Kind.ENUM ||
    node.kind === Kind.LIST ||
    node.kind === Kind.OBJECT ||
    node.kind === Kind.VARIABLE
  );
}

interface PreparedDocument {
  schema: GraphQLSchema;
  declaredFields: ReadonlySet<string>;
  document: DocumentNode | null;
  errors: GraphQLError[];
}

const prepared = new Map<string, PreparedDocument>();
const PREPARED_LIMIT = 1000;

/** Parses and validates a document (with its since-markers); cached by source text. */
function prepareDocument(source: string, schemaFile?: string): PreparedDocument {
  const base = loadAdminSchema(schemaFile);
  const key = `${base.file}\u0000${source}`;
  const cached = prepared.get(key);
  if (cached) return cached;
  const markers = findSinceMarkers(source);
  const extended = schemaForMarkers(base, markers);
  let result: PreparedDocument;
  if (extended.errors.length > 0) {
    result = {
      schema: extended.schema,
      declaredFields: extended.declaredFields,
      document: null,
      errors: extended.errors,
    };
  } else {
    let document: DocumentNode | null = null;
    try {
      document = parse(source);
    } catch (error) {
      result = {
        schema: extended.schema,
        declaredFields: extended.declaredFields,
        document: null,
        errors: [parseErrorToShopify(error as GraphQLError)],
      };
    }
    if (document) {
      const errors = toShopifyErrors(
        validate(extended.schema, document),
        document,
        extended.schema,
      );
      result = {
        schema: extended.schema,
        declaredFields: extended.declaredFields,
        document: errors.length ? null : document,
        errors,
      };
    }
  }
  if (prepared.size >= PREPARED_LIMIT) prepared.delete(prepared.keys().next().value!);
  prepared.set(key, result!);
  return result!;
}

/**
 * Checks a GraphQL document against the Admin API 2025-04 schema (plus its since-markers)
 * without HTTP. Returns Shopify-worded errors (`Field 'x' doesn't exist on type 'Y'`, with
 * `extensions.code`); empty when the document is valid.
 */
export function validateAdminDocument(
  source: string,
  options: { schemaFile?: string } = {},
): readonly GraphQLError[] {
  return prepareDocument(source, options.schemaFile).errors;
}

// ---------------------------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------------------------

function included(
  node: { directives?: readonly DirectiveNode[] },
  variables: Record<string, unknown>,
): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, variables);
  return include?.if !== false;
}

/**
 * Requested cost of an operation, by Shopify's published rules: scalars and enums 0, objects 1,
 * connections 2 plus `first`/`last` times the cost of one node, `nodes(ids:)` per id, lists with
 * a `first` argument per element; abstract selections cost their most expensive fragment;
 * mutations 10 per root field.
 */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  if (operation.operation === "mutation") {
    return (
      operation.selectionSet.selections.filter(
        (s) => s.kind === Kind.FIELD && !s.name.value.startsWith("__") && included(s, variables),
      ).length * 10
    );
  }
  const root =
    operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const fieldCost = (scope: GraphQLCompositeType, node: FieldNode, depth: number): number => {
    if (node.name.value.startsWith("__") || !("getFields" in scope)) return 0;
    const definition = scope.getFields()[node.name.value];
    if (!definition) return 0;
    const named = getNamedType(definition.type);
    if (isLeafType(named) || !node.selectionSet) return 0;
    const child = selectionCost(named, node.selectionSet, depth + 1);
    const args = getArgumentValues(definition, node, variables) as Record<string, unknown>;
    const size =
      typeof args.first === "number"
        ? args.first
        : typeof args.last === "number"
          ? args.last
          : null;
    if (isConnectionTypeName(named.name)) return 2 + (size ?? 0) * child;
    if (isFreeCostType(named.name)) return child;
    if (isListType(getNullableType(definition.type))) {
      const ids = args.ids;
      const count = Array.isArray(ids) ? ids.length : (size ?? 1);
      return count * (1 + child);
    }
    return 1 + child;
  };

  const selectionCost = (
    parent: GraphQLCompositeType,
    selectionSet: SelectionSetNode,
    depth: number,
  ): number => {
    if (depth > 50) return 0;
    let base = 0;
    const groups = new Map<string, number>();
    const walk = (
      set: SelectionSetNode,
      scope: GraphQLCompositeType,
      group: string | null,
      seen: Set<string>,
    ) => {
      for (const selection of set.selections) {
        if (!included(selection, variables)) continue;
        if (selection.kind === Kind.FIELD) {
          const cost = fieldCost(scope, selection, depth);
          if (group) groups.set(group, (groups.get(group) ?? 0) + cost);
          else base += cost;
          continue;
        }
        let condition: string | undefined;
        let inner: SelectionSetNode;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          condition = selection.typeCondition?.name.value;
          inner = selection.selectionSet;
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue;
          seen = new Set(seen).add(fragment.name.value);
          condition = fragment.typeCondition.name.value;
          inner = fragment.selectionSet;
        }
        const conditionType = condition ? schema.getType(condition) : undefined;
        if (
          !condition ||
          condition === parent.name ||
          !conditionType ||
          !("name" in conditionType)
        ) {
          walk(inner, scope, group, seen);
        } else if (isAbstractType(parent)) {
          walk(
            inner,
            conditionType as GraphQLCompositeType,
            isAbstractType(conditionType) ? (group ?? condition) : condition,
            seen,
          );
        } else if (
          isAbstractType(conditionType) &&
          schema.isSubType(conditionType, parent as never)
        ) {
          walk(inner, parent, group, seen);
        }
      }
    };
    walk(selectionSet, parent, null, new Set());
    return base + Math.max(0, ...groups.values());
  };

  return selectionCost(root, operation.selectionSet, 0);
}

// ---------------------------------------------------------------------------------------------
// Leaky bucket
// ---------------------------------------------------------------------------------------------

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

class LeakyBucket {
  private available: number;
  private updatedAt: number;
  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
    now: number,
  ) {
    this.available = maximumAvailable;
    this.updatedAt = now;
  }
  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
    this.updatedAt = now;
  }
  /** Takes `cost` if available; false (nothing taken) otherwise. */
  take(cost: number, now: number): boolean {
    this.refill(now);
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }
  refund(points: number, now: number): void {
    this.refill(now);
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }
  set(values: Partial<ThrottleStatus>, now: number): void {
    this.refill(now);
    if (values.maximumAvailable !== undefined) this.maximumAvailable = values.maximumAvailable;
    if (values.restoreRate !== undefined) this.restoreRate = values.restoreRate;
    if (values.currentlyAvailable !== undefined) this.available = values.currentlyAvailable;
    this.available = Math.min(this.available, this.maximumAvailable);
  }
  status(now: number): ThrottleStatus {
    this.refill(now);
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export interface ShopifyAdminFakeOptions extends StartFakeOptions {
  /** The shop served by default. Default: createSandboxStore() (seed 1). */
  store?: SandboxStore;
  /** More shops on the same server, picked by access token. */
  stores?: SandboxStore[];
  /** Access token → shop domain. Default: sandboxAccessToken(domain) for every store. */
  accessTokens?: Record<string, string>;
  /** Leaky bucket per shop. Default 2,000 points, 100 points/s. */
  bucket?: { maximumAvailable?: number; restoreRate?: number };
  /** Single-query ceiling. Default 1,000. */
  maxQueryCost?: number;
  /** Milliseconds since the epoch, for the bucket and mutation timestamps. Default Date.now. */
  clock?: () => number;
  /** Without read_all_orders, only the last 60 days of orders are visible. Default true. */
  allOrdersAccess?: boolean;
  accessScopes?: string[];
  /**
   * Approved for protected customer data (level 2). false: customer and order name, email, phone
   * and address fields resolve to null with an ACCESS_DENIED error each, as Shopify answers an
   * app without that access. Default true.
   */
  protectedCustomerData?: boolean;
  /** Called after tagsAdd/tagsRemove changed the store (e.g. to send orders/updated). */
  onMutation?: (event: AdminMutationEvent) => void;
  /** Schema SDL path; default as resolveAdminSchemaPath. */
  schemaFile?: string;
  /** Bulk operation pacing and faults (see shopify-admin-bulk.ts); also `fake.bulk.setKnobs`. */
  bulk?: Partial<BulkKnobs>;
  /**
   * Where Shopify's webhooks from the fake (bulk_operations/finish, app_subscriptions/update) go,
   * and the app's topics.
   */
  webhooks?: BulkWebhookTarget;
  /** Shopify Admin's stand-in: billing confirmation returns to it instead of admin.shopify.com. */
  adminUrl?: () => string | undefined;
  /**
   * The app whose session tokens `/admin/oauth/access_token` exchanges (its client id and
   * secret). Without it every exchange is refused with `invalid_client`.
   */
  app?: { apiKey: string; apiSecret: string };
}

/** One grant `/admin/oauth/access_token` made, for assertions. */
export interface OAuthGrant {
  shop: string;
  grantType: "token-exchange" | "refresh_token";
  requestedTokenType: "offline" | "online" | null;
  expiring: boolean;
  accessToken: string;
  refreshToken: string | null;
}

/** One GraphQL call as the fake saw it, derived from the recorded HTTP request. */
export interface AdminOperation {
  at: string;
  status: number;
  shop: string | null;
  apiVersion: string | null;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  /** Error codes in the response (THROTTLED, undefinedField, …). */
  errorCodes: string[];
}

export interface AdminGraphQLResponse {
  status: number;
  // Tests read whatever they asked for.
  body: any;
}

export interface ShopifyAdminFake extends FakeServer {
  /** The default shop's store (mutations through the API change it). */
  store: SandboxStore;
  stores: ReadonlyMap<string, SandboxStore>;
  /** Token for the default shop. */
  accessToken: string;
  shopDomain: string;
  /** Time spent building the schema (the first time in this process). */
  schemaBuildMs: number;
  /** Bulk operations of every shop: records, knobs (`setKnobs`), finish webhooks sent. */
  bulk: BulkOperations;
  /** The billing confirmation page and the app_subscriptions/update webhooks sent. */
  billing: BillingPages;
  /** `${url}/admin/api/${version}/graphql.json` */
  graphqlUrl(version?: string): string;
  addAccessToken(token: string, shopDomain: string): void;
  throttleStatus(shopDomain?: string): ThrottleStatus;
  /** Adjusts a shop's bucket, e.g. `{ currentlyAvailable: 0 }` to test throttling. */
  setThrottle(values: Partial<ThrottleStatus>, shopDomain?: string): void;
  /** GraphQL calls received so far (from the HTTP record). */
  operations(): AdminOperation[];
  /** Access tokens `/admin/oauth/access_token` issued, oldest first. */
  grants(): OAuthGrant[];
  /** Stops accepting every access token issued for the shop (what an uninstall does). */
  revokeAccessTokens(shopDomain: string): void;
  /** POSTs a document to the fake over HTTP, with the default token unless told otherwise. */
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    options?: {
      token?: string | null;
      version?: string;
      operationName?: string;
      headers?: Record<string, string>;
    },
  ): Promise<AdminGraphQLResponse>;
}

const PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;
const OAUTH_PATH = "/admin/oauth/access_token";
const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const REQUESTED_TOKEN_TYPES = {
  "urn:shopify:params:oauth:token-type:offline-access-token": "offline",
  "urn:shopify:params:oauth:token-type:online-access-token": "online",
} as const;
/** Shopify's lifetimes: expiring offline tokens 1 hour, their refresh tokens 90 days, online 1 day. */
const EXPIRING_OFFLINE_TTL_SECONDS = 3_599;
const REFRESH_TOKEN_TTL_SECONDS = 7_776_000;
const ONLINE_TTL_SECONDS = 86_399;

function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCodes(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e) => (e as { extensions?: { code?: string } }).extensions?.code)
    .filter((code): code is string => typeof code === "string");
}

function operationNameOf(body: unknown): string | null {
  const b = body as { operationName?: unknown; query?: unknown } | undefined;
  if (typeof b?.operationName === "string" && b.operationName) return b.operationName;
  if (typeof b?.query !== "string") return null;
  const match = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(b.query);
  return match?.[1] ?? null;
}

/** graphql-js's variable coercion message, reduced to the problem (graphql-ruby's "explanation"). */
function variableProblem(message: string): string {
  if (/of (required|non-null) type "[^"]+" (was not provided|must not be null)/.test(message))
    return "Expected value to not be null";
  const reason = /; (.*)$/.exec(message);
  return (reason?.[1] ?? message).replace(/\.$/, "");
}

/** Starts the Admin API fake on 127.0.0.1. */
export async function startShopifyAdminFake(
  options: ShopifyAdminFakeOptions = {},
): Promise<ShopifyAdminFake> {
  const loaded = loadAdminSchema(options.schemaFile);
  const primary = options.store ?? createSandboxStore();
  const stores = new Map<string, SandboxStore>([[primary.shop.domain, primary]]);
  for (const extra of options.stores ?? []) stores.set(extra.shop.domain, extra);
  const tokens = new Map<string, string>();
  if (options.accessTokens)
    for (const [token, shop] of Object.entries(options.accessTokens)) tokens.set(token, shop);
  else for (const domain of stores.keys()) tokens.set(sandboxAccessToken(domain), domain);
  const clock = options.clock ?? Date.now;
  const maxCost = options.maxQueryCost ?? MAX_SINGLE_QUERY_COST;
  const bucketSize = options.bucket?.maximumAvailable ?? DEFAULT_BUCKET.maximumAvailable;
  const restoreRate = options.bucket?.restoreRate ?? DEFAULT_BUCKET.restoreRate;
  const buckets = new Map<string, LeakyBucket>();
  const bucketFor = (shop: string) => {
    let bucket = buckets.get(shop);
    if (!bucket) {
      bucket = new LeakyBucket(bucketSize, restoreRate, clock());
      buckets.set(shop, bucket);
    }
    return bucket;
  };

  let baseUrl = "";
  const bulk = new BulkOperations({
    prepare: (source) => prepareDocument(source, options.schemaFile),
    context: (shop, extras) =>
      createAdminContext(stores.get(shop)!, {
        now: new Date(clock()),
        declaredFields: extras.declaredFields,
        allOrdersAccess: options.allOrdersAccess,
        accessScopes: options.accessScopes,
        unpaged: extras.unpaged,
      }),
    fieldResolver: adminFieldResolver,
    typeResolver: adminTypeResolver,
    clock,
    baseUrl: () => baseUrl,
    knobs: options.bulk,
    webhooks: options.webhooks,
  });

  const billing = new BillingPages({
    stores,
    clock,
    baseUrl: () => baseUrl,
    webhooks: options.webhooks,
    adminUrl: options.adminUrl,
  });

  /** Issued tokens' expiry (milliseconds since the epoch); the fixed sandbox tokens never expire. */
  const tokenExpiry = new Map<string, number>();
  const refreshTokens = new Map<string, { shop: string; expiresAt: number }>();
  const grants: OAuthGrant[] = [];
  const grantedScope = (options.accessScopes ?? DEFAULT_ACCESS_SCOPES).join(",");
  const oauthError = (status: number, error: string, description: string): FakeResponse => ({
    status,
    body: { error, error_description: description },
  });

  /** Shopify's `POST /admin/oauth/access_token`: token exchange and refresh (see the header). */
  const handleAccessTokenRequest = async (request: FakeRequest): Promise<FakeResponse> => {
    if (request.method !== "POST")
      return { status: 405, headers: { allow: "POST" }, body: { errors: "Method Not Allowed" } };
    let params: Record<string, unknown>;
    if ((header(request, "content-type") ?? "").includes("application/x-www-form-urlencoded")) {
      params = Object.fromEntries(new URLSearchParams(request.rawBody));
    } else {
      try {
        const parsed: unknown = JSON.parse(request.rawBody || "null");
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
        params = parsed as Record<string, unknown>;
      } catch {
        return oauthError(400, "invalid_request", "The request body is not valid JSON.");
      }
    }
    const app = options.app;
    if (!app || params.client_id !== app.apiKey || params.client_secret !== app.apiSecret)
      return oauthError(401, "invalid_client", "Client authentication failed.");
    const host = header(request, "host")?.replace(/:\d+$/, "");
    const named =
      header(request, "x-sandbox-shop") ?? (host?.endsWith(".myshopify.com") ? host : undefined);
    const now = clock();
    const issue = (shop: string, expiring: boolean) => {
      const accessToken = expiring
        ? `shpat_${randomBytes(16).toString("hex")}`
        : sandboxAccessToken(shop);
      tokens.set(accessToken, shop);
      if (expiring) tokenExpiry.set(accessToken, now + EXPIRING_OFFLINE_TTL_SECONDS * 1000);
      const refreshToken = expiring ? `shprt_${randomBytes(16).toString("hex")}` : null;
      if (refreshToken)
        refreshTokens.set(refreshToken, {
          shop,
          expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
        });
      return { accessToken, refreshToken };
    };
    const offlineBody = (issued: { accessToken: string; refreshToken: string | null }) => ({
      access_token: issued.accessToken,
      scope: grantedScope,
      ...(issued.refreshToken
        ? {
            expires_in: EXPIRING_OFFLINE_TTL_SECONDS,
            refresh_token: issued.refreshToken,
            refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
          }
        : {}),
    });

    if (params.grant_type === "refresh_token") {
      const refresh = typeof params.refresh_token === "string" ? params.refresh_token : "";
      const known = refreshTokens.get(refresh);
      if (!known || known.expiresAt <= now || (named && named !== known.shop))
        return oauthError(400, "invalid_grant", "The refresh token is invalid or has expired.");
      refreshTokens.delete(refresh);
      const issued = issue(known.shop, true);
      grants.push({
        shop: known.shop,
        grantType: "refresh_token",
        requestedTokenType: "offline",
        expiring: true,
        ...issued,
      });
      return { status: 200, body: offlineBody(issued) };
    }
    if (params.grant_type !== TOKEN_EXCHANGE_GRANT)
      return oauthError(400, "unsupported_grant_type", "The grant type is not supported.");
    const requested =
      REQUESTED_TOKEN_TYPES[params.requested_token_type as keyof typeof REQUESTED_TOKEN_TYPES];
    if (params.subject_token_type !== ID_TOKEN_TYPE || !requested)
      return oauthError(400, "invalid_request", "Unsupported subject or requested token type.");
    let claims: { dest?: unknown; sub?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(
        String(params.subject_token ?? ""),
        createSecretKey(Buffer.from(app.apiSecret, "utf8")),
        { algorithms: ["HS256"], audience: app.apiKey, currentDate: new Date(now) },
      ));
    } catch {
      return oauthError(400, "invalid_subject_token", "The session token is invalid.");
    }
    const dest = typeof claims.dest === "string" ? claims.dest.replace(/^https:\/\//, "") : "";
    if (!dest || (named && named !== dest))
      return oauthError(400, "invalid_subject_token", "The session token is for another shop.");
    if (!stores.has(dest)) return { status: 404, body: { errors: "Not Found" } };
    const expiring = params.expiring === "1" || params.expiring === 1 || params.expiring === true;
    if (requested === "online") {
      const issued = { accessToken: `shpua_${randomBytes(16).toString("hex")}` };
      tokens.set(issued.accessToken, dest);
      tokenExpiry.set(issued.accessToken, now + ONLINE_TTL_SECONDS * 1000);
      grants.push({
        shop: dest,
        grantType: "token-exchange",
        requestedTokenType: "online",
        expiring: true,
        accessToken: issued.accessToken,
        refreshToken: null,
      });
      const userId = Number(claims.sub) || 1;
      return {
        status: 200,
        body: {
          access_token: issued.accessToken,
          scope: grantedScope,
          expires_in: ONLINE_TTL_SECONDS,
          associated_user_scope: grantedScope,
          associated_user: {
            id: userId,
            first_name: "Sam",
            last_name: "Sandbox",
            email: "owner@example.com",
            email_verified: true,
            account_owner: true,
            locale: "en",
            collaborator: false,
          },
        },
      };
    }
    const issued = issue(dest, expiring);
    grants.push({
      shop: dest,
      grantType: "token-exchange",
      requestedTokenType: "offline",
      expiring,
      ...issued,
    });
    return { status: 200, body: offlineBody(issued) };
  };

  const handle = async (request: FakeRequest): Promise<FakeResponse> => {
    if (request.path === OAUTH_PATH) return handleAccessTokenRequest(request);
    const download = bulk.serve(request);
    if (download) return download;
    const confirmation = billing.serve(request);
    if (confirmation) return confirmation;
    const match = PATH.exec(request.path);
    if (!match) return { status: 404, body: { errors: "Not Found" } };
    const version = match[1]!;
    const versionHeader = { "x-shopify-api-version": version };
    if (request.method !== "POST")
      return { status: 405, headers: { allow: "POST" }, body: { errors: "Method Not Allowed" } };

    // 1. auth
    const token = header(request, "x-shopify-access-token");
    const expiry = token ? tokenExpiry.get(token) : undefined;
    const tokenShop =
      token && (expiry === undefined || expiry > clock()) ? tokens.get(token) : undefined;
    const host = header(request, "host")?.replace(/:\d+$/, "");
    const named =
      header(request, "x-sandbox-shop") ?? (host?.endsWith(".myshopify.com") ? host : undefined);
    if (!tokenShop || (named && named !== tokenShop) || !stores.has(tokenShop)) {
      return { status: 401, headers: versionHeader, body: INVALID_TOKEN_BODY };
    }
    const store = stores.get(tokenShop)!;

    // 2. body
    let query: unknown;
    let variables: unknown;
    let operationName: unknown;
    const contentType = header(request, "content-type") ?? "";
    if (contentType.includes("application/graphql")) {
      query = request.rawBody;
    } else {
      try {
        const body = JSON.parse(request.rawBody || "null") as {
          query?: unknown;
          variables?: unknown;
          operationName?: unknown;
        } | null;
        query = body?.query;
        variables = body?.variables;
        operationName = body?.operationName;
      } catch {
        return {
          status: 400,
          headers: versionHeader,
          body: { errors: { query: "Required parameter missing or invalid" } },
        };
      }
    }
    if (typeof query !== "string" || !query.trim()) {
      return {
        status: 400,
        headers: versionHeader,
        body: { errors: { query: "Required parameter missing or invalid" } },
      };
    }
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== "object" || Array.isArray(variables))
    ) {
      return {
        status: 400,
        headers: versionHeader,
        body: { errors: { variables: "must be an object" } },
      };
    }

    // 3. parse + validate
    const doc = prepareDocument(query, options.schemaFile);
    if (!doc.document)
      return {
        status: 200,
        headers: versionHeader,
        body: { errors: doc.errors.map((e) => e.toJSON()) },
      };
    const operation = getOperationAST(
      doc.document,
      typeof operationName === "string" && operationName ? operationName : undefined,
    );
    if (!operation) {
      const message =
        typeof operationName === "string" && operationName
          ? `No operation named "${operationName}"`
          : "An operation name is required";
      return {
        status: 200,
        headers: versionHeader,
        body: { errors: [{ message, extensions: { code: "operationNotFound" } }] },
      };
    }
    const coerced = getVariableValues(
      doc.schema,
      operation.variableDefinitions ?? [],
      (variables ?? {}) as Record<string, unknown>,
    );
    if (coerced.errors) {
      const errors = coerced.errors.map((error) => {
        const definition = operation.variableDefinitions?.find((d) =>
          error.message.includes(`"$${d.variable.name.value}"`),
        );
        const name = definition?.variable.name.value ?? "?";
        const value = (variables as Record<string, unknown> | undefined)?.[name];
        return {
          message: `Variable $${name} of type ${definition ? print(definition.type) : "?"} was provided invalid value`,
          locations: error.locations,
          extensions: {
            code: "INVALID_VARIABLE",
            value: value === undefined ? null : value,
            problems: [{ path: [], explanation: variableProblem(error.message) }],
          },
        };
      });
      return { status: 200, headers: versionHeader, body: { errors } };
    }

    // 4. cost and bucket
    const requested = requestedQueryCost(doc.schema, doc.document, operation, coerced.coerced);
    const bucket = bucketFor(store.shop.domain);
    if (requested > maxCost) {
      return {
        status: 200,
        headers: versionHeader,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxCost}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: requested,
              actualQueryCost: null,
              throttleStatus: bucket.status(clock()),
            },
          },
        },
      };
    }
    if (!bucket.take(requested, clock())) {
      return {
        status: 200,
        headers: versionHeader,
        body: {
          errors: [
            {
              message: "Throttled",
              extensions: {
                code: "THROTTLED",
                documentation: "https://shopify.dev/api/usage/rate-limits",
              },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: requested,
              actualQueryCost: null,
              throttleStatus: bucket.status(clock()),
            },
          },
        },
      };
    }

    // 5. execute
    const context = createAdminContext(store, {
      now: new Date(clock()),
      declaredFields: doc.declaredFields,
      allOrdersAccess: options.allOrdersAccess,
      accessScopes: options.accessScopes,
      protectedCustomerData: options.protectedCustomerData,
      onMutation: options.onMutation,
      billingConfirmationUrl: (shop, id) => billing.confirmationUrl(shop, id),
      onSubscriptionsChanged: (shop, changed) => billing.changed(shop, changed),
      bulk: bulk.api(store.shop.domain, version),
    });
    const result = await execute({
      schema: doc.schema,
      document: doc.document,
      rootValue: {},
      contextValue: context,
      variableValues: coerced.coerced,
      operationName: operation.name?.value,
      fieldResolver: adminFieldResolver,
      typeResolver: adminTypeResolver,
    });
    const actual = Math.min(requested, context.cost.actual);
    bucket.refund(requested - actual, clock());
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map((e) => e.toJSON());
    body.data = result.data ?? null;
    body.extensions = {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: bucket.status(clock()),
      },
      ...(context.searchWarnings.length ? { search: context.searchWarnings } : {}),
    };
    return { status: 200, headers: versionHeader, body };
  };

  const server = await startFake(handle, options);
  baseUrl = server.url;
  const tokenToShop = (token: string | undefined) => (token ? (tokens.get(token) ?? null) : null);
  const defaultToken =
    [...tokens.entries()].find(([, shop]) => shop === primary.shop.domain)?.[0] ??
    sandboxAccessToken(primary.shop.domain);

  const fake: ShopifyAdminFake = {
    ...server,
    store: primary,
    stores,
    accessToken: defaultToken,
    shopDomain: primary.shop.domain,
    schemaBuildMs: loaded.buildMs,
    bulk,
    billing,
    async close() {
      bulk.close();
      billing.close();
      await server.close();
    },
    graphqlUrl: (version = APP_API_VERSION) => `${server.url}/admin/api/${version}/graphql.json`,
    addAccessToken(token, shopDomain) {
      tokens.set(token, shopDomain);
    },
    grants: () => [...grants],
    revokeAccessTokens(shopDomain) {
      for (const [token, shop] of tokens) if (shop === shopDomain) tokens.delete(token);
      for (const [token, grant] of refreshTokens)
        if (grant.shop === shopDomain) refreshTokens.delete(token);
    },
    throttleStatus: (shopDomain = primary.shop.domain) => bucketFor(shopDomain).status(clock()),
    setThrottle(values, shopDomain = primary.shop.domain) {
      bucketFor(shopDomain).set(values, clock());
    },
    operations() {
      return server.received
        .filter((record) => PATH.test(record.path))
        .map((record) => {
          const response = record.response as
            | {
                extensions?: {
                  cost?: { requestedQueryCost?: number; actualQueryCost?: number | null };
                };
              }
            | undefined;
          const body = record.body as { variables?: Record<string, unknown> } | undefined;
          return {
            at: record.at,
            status: record.status,
            shop: tokenToShop(record.headers["x-shopify-access-token"]),
            apiVersion: PATH.exec(record.path)?.[1] ?? null,
            operationName: operationNameOf(record.body),
            variables: body && typeof body === "object" ? (body.variables ?? null) : null,
            requestedQueryCost: response?.extensions?.cost?.requestedQueryCost ?? null,
            actualQueryCost: response?.extensions?.cost?.actualQueryCost ?? null,
            errorCodes: errorCodes(record.response),
          };
        });
    },
    async graphql(query, variables, requestOptions = {}) {
      const token = requestOptions.token === undefined ? defaultToken : requestOptions.token;
      const response = await fetch(fake.graphqlUrl(requestOptions.version), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { "x-shopify-access-token": token } : {}),
          ...requestOptions.headers,
        },
        body: JSON.stringify({ query, variables, operationName: requestOptions.operationName }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep text */
      }
      return { status: response.status, body: parsed };
    },
  };
  return fake;
}
