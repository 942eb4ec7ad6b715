import type { z } from "zod";
import { vendorEndpoints } from "../config.server";
import {
  chunk,
  createVendorHttp,
  VendorRetryableError,
  VendorTerminalError,
  type RequestPacer,
  type VendorCall,
  type VendorRequest,
} from "../http.server";
import { parseKlaviyoError } from "./errors";
import {
  accountsResponse,
  bulkImportJobResponse,
  importErrorsResponse,
  listResponse,
  listsResponse,
  profileResponse,
  profilesResponse,
  type KlaviyoBulkImportStatus,
} from "./schemas";

/**
 * A thin client for Klaviyo's REST API, pinned to one revision (see
 * docs/decisions/006-klaviyo-client.md). It knows the wire format and the documented limits; it
 * does not retry (the job queue does) and it does not persist anything (callers do, from
 * `onCall` and the results).
 */

export const KLAVIYO_REVISION = "2026-07-15";
export const KLAVIYO_DEFAULT_BASE_URL = "https://a.klaviyo.com";
const JSON_API = "application/vnd.api+json";

/** Scopes Switchboard's features use; the connection check reports any the key lacks. */
export const KLAVIYO_SCOPES = [
  "accounts:read",
  "events:write",
  "profiles:read",
  "profiles:write",
  "lists:read",
  "lists:write",
  "data-privacy:write",
] as const;
export type KlaviyoScope = (typeof KLAVIYO_SCOPES)[number];

/** Documented limits (operation descriptions in the 2026-07-15 OpenAPI document). */
export const KLAVIYO_LIMITS = {
  listMembersPerCall: 1_000,
  bulkImportProfiles: 10_000,
  bulkImportBytes: 5_000_000,
  /** `page[size]` maximum of GET /api/profiles, so also how many emails one `any()` filter asks for. */
  profilesPerPage: 100,
} as const;

export interface KlaviyoClientOptions {
  apiKey: string;
  /** Default: KLAVIYO_API_URL (https://a.klaviyo.com). */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  pacer?: RequestPacer;
  onCall?: (call: VendorCall) => void;
  signal?: AbortSignal;
}

/** How an event or a list change names a person. At least one identifier is required. */
export interface KlaviyoProfileRef {
  email?: string;
  phoneNumber?: string;
  externalId?: string;
}

export interface KlaviyoProfileInput extends KlaviyoProfileRef {
  firstName?: string | null;
  lastName?: string | null;
  /** Custom properties; merged key by key (Klaviyo keeps keys that are not sent). */
  properties?: Record<string, unknown>;
}

export interface KlaviyoEventInput {
  metric: string;
  profile: KlaviyoProfileInput;
  properties?: Record<string, unknown>;
  value?: number;
  valueCurrency?: string;
  time?: string;
  /** Klaviyo keeps only the first event per profile + metric + unique_id: our replay guard. */
  uniqueId: string;
}

export interface KlaviyoAccount {
  id: string;
  name: string;
  publicApiKey: string | null;
}

export interface KlaviyoKeyCheck {
  account: KlaviyoAccount | null;
  granted: KlaviyoScope[];
  missing: KlaviyoScope[];
}

export interface KlaviyoBulkImportJob {
  id: string;
  status: KlaviyoBulkImportStatus;
  total: number;
  completed: number;
  failed: number;
}

export interface KlaviyoImportError {
  /** Index of the profile in the job's `profiles`, when Klaviyo's pointer names one. */
  index: number | null;
  detail: string;
}

function profileAttributes(input: KlaviyoProfileInput): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  if (input.email) attributes.email = input.email;
  if (input.phoneNumber) attributes.phone_number = input.phoneNumber;
  if (input.externalId) attributes.external_id = input.externalId;
  if (input.firstName !== undefined) attributes.first_name = input.firstName;
  if (input.lastName !== undefined) attributes.last_name = input.lastName;
  if (input.properties && Object.keys(input.properties).length)
    attributes.properties = input.properties;
  return attributes;
}

function requireIdentifier(ref: KlaviyoProfileRef, what: string) {
  if (!ref.email && !ref.phoneNumber && !ref.externalId) {
    throw new VendorTerminalError({
      vendor: "klaviyo",
      operation: what,
      failure: "rejected",
      status: null,
      detail: "the profile needs an email, phone number or external id",
    });
  }
}

/** A JSON:API filter string literal: double-quoted, with quotes and backslashes escaped. */
export function filterString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A profile as sent in a bulk import job. */
export function bulkImportProfile(input: KlaviyoProfileInput) {
  return { type: "profile" as const, attributes: profileAttributes(input) };
}

/**
 * Splits profiles into bulk import jobs that respect both documented limits: at most 10,000
 * profiles and 5 MB of request body per job (measured on the serialised profiles, with room
 * for the envelope).
 */
export function planBulkImportJobs<T extends KlaviyoProfileInput>(
  profiles: readonly T[],
  limits: { maxProfiles?: number; maxBytes?: number } = {},
): T[][] {
  const maxProfiles = limits.maxProfiles ?? KLAVIYO_LIMITS.bulkImportProfiles;
  const maxBytes = (limits.maxBytes ?? KLAVIYO_LIMITS.bulkImportBytes) - 1_024;
  const jobs: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const profile of profiles) {
    const size = Buffer.byteLength(JSON.stringify(bulkImportProfile(profile))) + 1;
    if (current.length && (current.length >= maxProfiles || bytes + size > maxBytes)) {
      jobs.push(current);
      current = [];
      bytes = 0;
    }
    current.push(profile);
    bytes += size;
  }
  if (current.length) jobs.push(current);
  return jobs;
}

export function createKlaviyoClient(options: KlaviyoClientOptions) {
  const endpoints = vendorEndpoints();
  const baseUrl = (options.baseUrl ?? endpoints.klaviyoBaseUrl).replace(/\/+$/, "");
  const http = createVendorHttp({
    vendor: "klaviyo",
    baseUrl,
    headers: {
      authorization: `Klaviyo-API-Key ${options.apiKey}`,
      revision: KLAVIYO_REVISION,
      accept: JSON_API,
    },
    fetch: options.fetch ?? endpoints.fetch,
    timeoutMs: options.timeoutMs ?? endpoints.timeoutMs,
    pacer: options.pacer,
    onCall: options.onCall,
    signal: options.signal,
    parseError: parseKlaviyoError,
  });

  const send = <S extends z.ZodType | undefined = undefined>(req: VendorRequest<S>) =>
    http.request<S>({ ...req, ...(req.body !== undefined ? { contentType: JSON_API } : {}) });

  /** Follows JSON:API `links.next` (absolute URLs on Klaviyo's origin). */
  const nextPage = (
    next: string | null | undefined,
  ): { path: string; query: Record<string, string> } | null => {
    if (!next) return null;
    const url = new URL(next);
    const prefix = new URL(baseUrl).pathname.replace(/\/+$/, "");
    const path =
      prefix && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    return { path, query: Object.fromEntries(url.searchParams) };
  };

  async function getAccount(): Promise<KlaviyoAccount> {
    const { data } = await send({
      operation: "get-accounts",
      method: "GET",
      path: "/api/accounts",
      schema: accountsResponse,
    });
    const account = data.data[0]!;
    const contact = account.attributes.contact_information;
    return {
      id: account.id,
      name: contact?.organization_name || contact?.default_sender_name || account.id,
      publicApiKey: account.attributes.public_api_key ?? null,
    };
  }

  /**
   * Which scopes the key has. Klaviyo has no endpoint that lists a private key's scopes, so each
   * scope is probed with a request that checks permission but cannot change anything: reads ask
   * for one item; writes send an empty body, which Klaviyo refuses with 400 when the scope is
   * granted and 403 when it is not (permission is checked before the body). Unverified against
   * production Klaviyo; exact in the sandbox fake. Seven requests, paced like any other.
   */
  async function checkKey(): Promise<KlaviyoKeyCheck> {
    const granted: KlaviyoScope[] = [];
    const missing: KlaviyoScope[] = [];
    let account: KlaviyoAccount | null = null;
    try {
      account = await getAccount();
      granted.push("accounts:read");
    } catch (error) {
      if (error instanceof VendorTerminalError && error.failure === "forbidden")
        missing.push("accounts:read");
      else throw error;
    }
    const probes: [KlaviyoScope, VendorRequest<undefined>][] = [
      [
        "events:write",
        { operation: "probe-events-write", method: "POST", path: "/api/events", body: {} },
      ],
      [
        "profiles:read",
        {
          operation: "get-profiles",
          method: "GET",
          path: "/api/profiles",
          query: { "page[size]": 1, "fields[profile]": "email" },
        },
      ],
      [
        "profiles:write",
        {
          operation: "probe-profiles-write",
          method: "POST",
          path: "/api/profile-import",
          body: {},
        },
      ],
      [
        "lists:read",
        {
          operation: "get-lists",
          method: "GET",
          path: "/api/lists",
          query: { "page[size]": 1, "fields[list]": "name" },
        },
      ],
      [
        "lists:write",
        { operation: "probe-lists-write", method: "POST", path: "/api/lists", body: {} },
      ],
      [
        "data-privacy:write",
        {
          operation: "probe-data-privacy-write",
          method: "POST",
          path: "/api/data-privacy-deletion-jobs",
          body: {},
        },
      ],
    ];
    for (const [scope, probe] of probes) {
      try {
        await send(probe);
        granted.push(scope);
      } catch (error) {
        if (!(error instanceof VendorTerminalError)) throw error;
        if (error.failure === "forbidden") missing.push(scope);
        else if (error.failure === "unauthorized") throw error;
        else granted.push(scope);
      }
    }
    return { account, granted, missing };
  }

  async function createEvent(input: KlaviyoEventInput): Promise<void> {
    requireIdentifier(input.profile, "create-event");
    const attributes: Record<string, unknown> = {
      properties: input.properties ?? {},
      metric: { data: { type: "metric", attributes: { name: input.metric } } },
      profile: { data: { type: "profile", attributes: profileAttributes(input.profile) } },
      unique_id: input.uniqueId,
    };
    if (input.value !== undefined) attributes.value = input.value;
    if (input.valueCurrency) attributes.value_currency = input.valueCurrency;
    if (input.time) attributes.time = input.time;
    await send({
      operation: "create-event",
      method: "POST",
      path: "/api/events",
      body: { data: { type: "event", attributes } },
    });
  }

  /** Create or update a profile by its identifiers; returns Klaviyo's id. */
  async function upsertProfile(
    input: KlaviyoProfileInput,
  ): Promise<{ id: string; created: boolean }> {
    requireIdentifier(input, "profile-import");
    const { status, data } = await send({
      operation: "profile-import",
      method: "POST",
      path: "/api/profile-import",
      body: { data: { type: "profile", attributes: profileAttributes(input) } },
      schema: profileResponse,
    });
    return { id: data.data.id, created: status === 201 };
  }

  /** Klaviyo ids of the profiles with these emails (lower-cased keys); unknown emails are absent. */
  async function findProfileIdsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
    for (const group of chunk(unique, KLAVIYO_LIMITS.profilesPerPage)) {
      let page: { path: string; query: Record<string, string | number> } | null = {
        path: "/api/profiles",
        query: {
          filter: `any(email,[${group.map(filterString).join(",")}])`,
          "page[size]": KLAVIYO_LIMITS.profilesPerPage,
          "fields[profile]": "email",
        },
      };
      while (page) {
        const { data } = await send({
          operation: "get-profiles",
          method: "GET",
          path: page.path,
          query: page.query,
          schema: profilesResponse,
        });
        for (const profile of data.data) {
          const email = profile.attributes?.email;
          if (email) found.set(email.toLowerCase(), profile.id);
        }
        page = nextPage(data.links?.next);
      }
    }
    return found;
  }

  /** The id of the profile with this identifier (email, else phone number, else external id). */
  async function findProfileId(ref: KlaviyoProfileRef): Promise<string | null> {
    requireIdentifier(ref, "get-profiles");
    const [field, value] = ref.email
      ? ["email", ref.email]
      : ref.phoneNumber
        ? ["phone_number", ref.phoneNumber]
        : ["external_id", ref.externalId!];
    const { data } = await send({
      operation: "get-profiles",
      method: "GET",
      path: "/api/profiles",
      query: {
        filter: `equals(${field},${filterString(value)})`,
        "page[size]": 1,
        "fields[profile]": "email",
      },
      schema: profilesResponse,
    });
    return data.data[0]?.id ?? null;
  }

  /**
   * Asks Klaviyo to delete every profile matching one identifier (Data Privacy API, scope
   * `data-privacy:write`). Klaviyo answers 202 and deletes asynchronously; asking again for a
   * profile already deleted is harmless.
   */
  async function requestProfileDeletion(
    identifier: { email: string } | { phoneNumber: string },
  ): Promise<void> {
    const attributes =
      "email" in identifier
        ? { email: identifier.email }
        : { phone_number: identifier.phoneNumber };
    await send({
      operation: "request-profile-deletion",
      method: "POST",
      path: "/api/data-privacy-deletion-jobs",
      body: {
        data: {
          type: "data-privacy-deletion-job",
          attributes: { profile: { data: { type: "profile", attributes } } },
        },
      },
    });
  }

  async function findListByName(name: string): Promise<{ id: string; name: string } | null> {
    const { data } = await send({
      operation: "get-lists",
      method: "GET",
      path: "/api/lists",
      query: { filter: `equals(name,${filterString(name)})`, "fields[list]": "name" },
      schema: listsResponse,
    });
    const list = data.data.find((l) => l.attributes.name === name);
    return list ? { id: list.id, name: list.attributes.name } : null;
  }

  async function createList(name: string): Promise<{ id: string; name: string }> {
    const { data } = await send({
      operation: "create-list",
      method: "POST",
      path: "/api/lists",
      body: { data: { type: "list", attributes: { name } } },
      schema: listResponse,
    });
    return { id: data.data.id, name: data.data.attributes.name };
  }

  /** The list with this exact name, created when there is none (lists:write is 150/day). */
  async function findOrCreateList(
    name: string,
  ): Promise<{ id: string; name: string; created: boolean }> {
    const existing = await findListByName(name);
    if (existing) return { ...existing, created: false };
    return { ...(await createList(name)), created: true };
  }

  /** Adds profiles (by Klaviyo id) to a list, at most 1,000 per call. Does not change consent. */
  async function addProfilesToList(listId: string, profileIds: readonly string[]): Promise<number> {
    let calls = 0;
    for (const group of chunk([...new Set(profileIds)], KLAVIYO_LIMITS.listMembersPerCall)) {
      await send({
        operation: "add-list-members",
        method: "POST",
        path: `/api/lists/${encodeURIComponent(listId)}/relationships/profiles`,
        body: { data: group.map((id) => ({ type: "profile", id })) },
      });
      calls++;
    }
    return calls;
  }

  /** Removes profiles (by Klaviyo id) from a list, at most 1,000 per call. */
  async function removeProfilesFromList(
    listId: string,
    profileIds: readonly string[],
  ): Promise<number> {
    let calls = 0;
    for (const group of chunk([...new Set(profileIds)], KLAVIYO_LIMITS.listMembersPerCall)) {
      await send({
        operation: "remove-list-members",
        method: "DELETE",
        path: `/api/lists/${encodeURIComponent(listId)}/relationships/profiles`,
        body: { data: group.map((id) => ({ type: "profile", id })) },
      });
      calls++;
    }
    return calls;
  }

  /**
   * Starts one bulk import job (≤ 10,000 profiles, ≤ 5 MB; use planBulkImportJobs to split),
   * optionally adding every imported profile to a list. Returns the job id.
   */
  async function createBulkImportJob(input: {
    profiles: readonly KlaviyoProfileInput[];
    listId?: string;
  }): Promise<KlaviyoBulkImportJob> {
    if (input.profiles.length === 0 || input.profiles.length > KLAVIYO_LIMITS.bulkImportProfiles) {
      throw new RangeError(
        `a bulk import job takes 1 to ${KLAVIYO_LIMITS.bulkImportProfiles} profiles, got ${input.profiles.length}`,
      );
    }
    const body = JSON.stringify({
      data: {
        type: "profile-bulk-import-job",
        attributes: { profiles: { data: input.profiles.map(bulkImportProfile) } },
        ...(input.listId
          ? { relationships: { lists: { data: [{ type: "list", id: input.listId }] } } }
          : {}),
      },
    });
    if (Buffer.byteLength(body) > KLAVIYO_LIMITS.bulkImportBytes) {
      throw new RangeError(
        `a bulk import job body is at most ${KLAVIYO_LIMITS.bulkImportBytes} bytes, got ${Buffer.byteLength(body)}`,
      );
    }
    const { data } = await send({
      operation: "bulk-import",
      method: "POST",
      path: "/api/profile-bulk-import-jobs",
      body,
      schema: bulkImportJobResponse,
    });
    return jobFrom(data.data);
  }

  function jobFrom(resource: z.output<typeof bulkImportJobResponse>["data"]): KlaviyoBulkImportJob {
    return {
      id: resource.id,
      status: resource.attributes.status,
      total: resource.attributes.total_count,
      completed: resource.attributes.completed_count ?? 0,
      failed: resource.attributes.failed_count ?? 0,
    };
  }

  async function getBulkImportJob(jobId: string): Promise<KlaviyoBulkImportJob> {
    const { data } = await send({
      operation: "get-bulk-import-job",
      method: "GET",
      path: `/api/profile-bulk-import-jobs/${encodeURIComponent(jobId)}`,
      schema: bulkImportJobResponse,
    });
    return jobFrom(data.data);
  }

  /** Per-profile failures of a finished job. */
  async function getBulkImportJobErrors(jobId: string): Promise<KlaviyoImportError[]> {
    const errors: KlaviyoImportError[] = [];
    let page: { path: string; query: Record<string, string | number> } | null = {
      path: `/api/profile-bulk-import-jobs/${encodeURIComponent(jobId)}/import-errors`,
      query: { "page[size]": 100 },
    };
    while (page) {
      const { data } = await send({
        operation: "get-bulk-import-errors",
        method: "GET",
        path: page.path,
        query: page.query,
        schema: importErrorsResponse,
      });
      for (const item of data.data) {
        const match = /\/profiles\/data\/(\d+)/.exec(item.attributes.source?.pointer ?? "");
        errors.push({
          index: match ? Number(match[1]) : null,
          detail:
            item.attributes.detail ??
            item.attributes.title ??
            item.attributes.code ??
            "import failed",
        });
      }
      page = nextPage(data.links?.next);
    }
    return errors;
  }

  return {
    baseUrl,
    getAccount,
    checkKey,
    createEvent,
    upsertProfile,
    findProfileIdsByEmail,
    findProfileId,
    requestProfileDeletion,
    findListByName,
    createList,
    findOrCreateList,
    addProfilesToList,
    removeProfilesFromList,
    createBulkImportJob,
    getBulkImportJob,
    getBulkImportJobErrors,
  };
}

export type KlaviyoClient = ReturnType<typeof createKlaviyoClient>;

export {
  VendorRetryableError as KlaviyoRetryableError,
  VendorTerminalError as KlaviyoTerminalError,
};
