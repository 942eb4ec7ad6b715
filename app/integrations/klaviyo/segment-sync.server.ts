import { and, eq, inArray, sql } from "drizzle-orm";
import { klaviyoListMembers } from "../../../db/schema/index";
import type { Db } from "../../db.server";
import { getIntegration } from "../../models/integrations.server";
import { recordVendorCalls } from "../../models/deliveries.server";
import { chunk, VendorRetryableError, VendorTerminalError, type VendorCall } from "../http.server";
import {
  planBulkImportJobs,
  type KlaviyoBulkImportJob,
  type KlaviyoClient,
  type KlaviyoProfileInput,
} from "./client.server";
import { ensureKlaviyoList, forgetKlaviyoList } from "./lists.server";
import { klaviyoClientFor } from "../delivery/execute.server";

/**
 * Segment sync: makes a Klaviyo list hold exactly a computed set of customers, sending only the
 * difference from what we last synced (`klaviyo_list_members`).
 *
 * - Adds of `bulkThreshold` or more profiles go through bulk import jobs (≤ 10,000 profiles and
 *   ≤ 5 MB each) attached to the list: one write request per 10,000 profiles, then status polls.
 * - Smaller adds upsert each profile (which returns its id) and add the ids to the list in
 *   calls of ≤ 1,000.
 * - Removes use ≤ 1,000-id relationship calls; ids we never learnt (bulk imports don't return
 *   them) are looked up by email, 100 per request.
 *
 * Retryable vendor errors propagate (run the sync again: it resumes from what was recorded);
 * a profile Klaviyo rejects is reported in `failed` and not recorded, so the next sync retries it.
 */

export interface SegmentMember extends KlaviyoProfileInput {
  email: string;
}

export interface SegmentSyncOptions {
  /** Adds at or above this size use bulk import jobs. Default 100. */
  bulkThreshold?: number;
  /** First wait before polling import jobs, growing ×1.5 per round (max 10 s). Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Give up waiting for import jobs after this long (a later sync picks them up). Default 10 min. */
  jobTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SegmentSyncResult {
  listId: string;
  added: number;
  removed: number;
  unchanged: number;
  /** Members not synced (rejected by Klaviyo, or not an email), with the reason. */
  failed: { email: string; detail: string }[];
  bulkImportJobs: number;
}

const normalize = (email: string) => email.trim().toLowerCase();
const looksLikeEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);

async function loadMembers(
  db: Db,
  shop: string,
  listId: string,
): Promise<Map<string, string | null>> {
  const rows = await db
    .select({ email: klaviyoListMembers.email, profileId: klaviyoListMembers.profileId })
    .from(klaviyoListMembers)
    .where(and(eq(klaviyoListMembers.shop, shop), eq(klaviyoListMembers.listId, listId)));
  return new Map(rows.map((r) => [r.email, r.profileId]));
}

async function saveMembers(
  db: Db,
  shop: string,
  listId: string,
  members: { email: string; profileId: string | null }[],
) {
  // Record-keeping stamps are the database's clock.
  const now = sql`now()`;
  for (const group of chunk(members, 1_000)) {
    await db
      .insert(klaviyoListMembers)
      .values(
        group.map((m) => ({ shop, listId, email: m.email, profileId: m.profileId, syncedAt: now })),
      )
      .onConflictDoUpdate({
        target: [klaviyoListMembers.shop, klaviyoListMembers.listId, klaviyoListMembers.email],
        set: {
          profileId: sql`coalesce(excluded.profile_id, ${klaviyoListMembers.profileId})`,
          syncedAt: now,
        },
      });
  }
}

async function dropMembers(db: Db, shop: string, listId: string, emails: string[]) {
  for (const group of chunk(emails, 1_000)) {
    await db
      .delete(klaviyoListMembers)
      .where(
        and(
          eq(klaviyoListMembers.shop, shop),
          eq(klaviyoListMembers.listId, listId),
          inArray(klaviyoListMembers.email, group),
        ),
      );
  }
}

async function waitForJobs(
  client: KlaviyoClient,
  jobs: KlaviyoBulkImportJob[],
  options: Required<Pick<SegmentSyncOptions, "pollIntervalMs" | "jobTimeoutMs" | "sleep">>,
) {
  const pending = new Map(jobs.map((job) => [job.id, job]));
  const done = new Map<string, KlaviyoBulkImportJob>();
  const deadline = performance.now() + options.jobTimeoutMs;
  let wait = options.pollIntervalMs;
  while (pending.size) {
    await options.sleep(wait);
    for (const id of [...pending.keys()]) {
      const job = await client.getBulkImportJob(id);
      if (job.status === "complete" || job.status === "cancelled") {
        pending.delete(id);
        done.set(id, job);
      }
    }
    if (pending.size && performance.now() > deadline) {
      throw new VendorRetryableError({
        vendor: "klaviyo",
        operation: "get-bulk-import-job",
        failure: "timeout",
        status: null,
        detail: `${pending.size} bulk import job(s) still running after ${Math.round(options.jobTimeoutMs / 1000)} s`,
      });
    }
    wait = Math.min(Math.round(wait * 1.5), 10_000);
  }
  return done;
}

export interface SegmentSyncInput {
  shop: string;
  list: string;
  members: Iterable<SegmentMember>;
  /** Profile properties set on whoever is removed (a flag back to false), in bulk like adds. */
  leaverProperties?: Record<string, unknown>;
}

/**
 * Sets properties on profiles that left the list: bulk import jobs (no list) from
 * `bulkThreshold` profiles, else one upsert each. Not recorded: a retry after a failure here
 * finds them removed already and does not set them again (the next change of theirs does).
 */
async function setLeaverProperties(
  client: KlaviyoClient,
  emails: string[],
  properties: Record<string, unknown>,
  bulkThreshold: number,
  polling: Required<Pick<SegmentSyncOptions, "pollIntervalMs" | "jobTimeoutMs" | "sleep">>,
) {
  const profiles = emails.map((email) => ({ email, properties }));
  if (profiles.length >= bulkThreshold) {
    const jobs: KlaviyoBulkImportJob[] = [];
    for (const batch of planBulkImportJobs(profiles))
      jobs.push(await client.createBulkImportJob({ profiles: batch }));
    await waitForJobs(client, jobs, polling);
    return;
  }
  for (const profile of profiles) {
    try {
      await client.upsertProfile(profile);
    } catch (error) {
      if (!(error instanceof VendorTerminalError)) throw error;
    }
  }
}

export async function syncKlaviyoSegment(
  db: Db,
  client: KlaviyoClient,
  input: SegmentSyncInput,
  options: SegmentSyncOptions = {},
): Promise<SegmentSyncResult> {
  const { shop } = input;
  const bulkThreshold = options.bulkThreshold ?? 100;
  const polling = {
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    jobTimeoutMs: options.jobTimeoutMs ?? 600_000,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
  };
  const failed: SegmentSyncResult["failed"] = [];
  const desired = new Map<string, SegmentMember>();
  for (const member of input.members) {
    const email = normalize(member.email);
    if (!looksLikeEmail(email))
      failed.push({ email: member.email, detail: "not an email address" });
    else desired.set(email, { ...member, email });
  }

  const listId = await ensureKlaviyoList(db, client, shop, input.list);
  const current = await loadMembers(db, shop, listId);
  const adds = [...desired.values()].filter((m) => !current.has(m.email));
  const removes = [...current.keys()].filter((email) => !desired.has(email));
  let added = 0;
  let bulkImportJobs = 0;

  try {
    if (adds.length >= bulkThreshold) {
      const batches = planBulkImportJobs(adds);
      const started: { job: KlaviyoBulkImportJob; members: SegmentMember[] }[] = [];
      for (const members of batches)
        started.push({
          job: await client.createBulkImportJob({ profiles: members, listId }),
          members,
        });
      bulkImportJobs = started.length;
      const finished = await waitForJobs(
        client,
        started.map((s) => s.job),
        polling,
      );
      for (const { job, members } of started) {
        const result = finished.get(job.id)!;
        const rejected = new Map<number, string>();
        if (result.status === "cancelled")
          members.forEach((_, index) => rejected.set(index, "the import job was cancelled"));
        else if (result.failed > 0) {
          for (const error of await client.getBulkImportJobErrors(job.id))
            if (error.index !== null) rejected.set(error.index, error.detail);
        }
        const accepted = members.filter((_, index) => !rejected.has(index));
        rejected.forEach((detail, index) => failed.push({ email: members[index]!.email, detail }));
        await saveMembers(
          db,
          shop,
          listId,
          accepted.map((m) => ({ email: m.email, profileId: null })),
        );
        added += accepted.length;
      }
    } else if (adds.length) {
      const upserted: { email: string; profileId: string }[] = [];
      for (const member of adds) {
        try {
          upserted.push({
            email: member.email,
            profileId: (await client.upsertProfile(member)).id,
          });
        } catch (error) {
          if (!(error instanceof VendorTerminalError)) throw error;
          failed.push({ email: member.email, detail: error.detail });
        }
      }
      await client.addProfilesToList(
        listId,
        upserted.map((u) => u.profileId),
      );
      await saveMembers(db, shop, listId, upserted);
      added = upserted.length;
    }

    if (removes.length) {
      const ids = new Map<string, string>();
      const unknown: string[] = [];
      for (const email of removes) {
        const id = current.get(email);
        if (id) ids.set(email, id);
        else unknown.push(email);
      }
      if (unknown.length)
        for (const [email, id] of await client.findProfileIdsByEmail(unknown)) ids.set(email, id);
      await client.removeProfilesFromList(listId, [...ids.values()]);
      await dropMembers(db, shop, listId, removes);
      if (input.leaverProperties && Object.keys(input.leaverProperties).length)
        await setLeaverProperties(client, removes, input.leaverProperties, bulkThreshold, polling);
    }
  } catch (error) {
    // The list was deleted in Klaviyo: forget it and what we put on it; the next sync rebuilds it.
    if (
      error instanceof VendorTerminalError &&
      (error.failure === "not-found" || /relationships\/lists/.test(error.detail))
    ) {
      await forgetKlaviyoList(db, shop, listId);
      await dropMembers(db, shop, listId, [...current.keys()]);
      throw new VendorRetryableError({
        vendor: "klaviyo",
        operation: error.operation,
        failure: "not-found",
        status: error.status,
        detail: `list "${input.list}" no longer exists in Klaviyo (${error.detail}); the next sync recreates it`,
      });
    }
    throw error;
  }

  return {
    listId,
    added,
    removed: removes.length,
    unchanged: desired.size - adds.length,
    failed,
    bulkImportJobs,
  };
}

/**
 * syncKlaviyoSegment with the shop's stored Klaviyo connection; every HTTP call is recorded in
 * delivery_attempts. Throws a VendorTerminalError when Klaviyo is not connected.
 */
export async function syncSegmentForShop(
  db: Db,
  input: SegmentSyncInput,
  options: SegmentSyncOptions & { signal?: AbortSignal } = {},
): Promise<SegmentSyncResult> {
  const integration = await getIntegration(db, input.shop, "klaviyo");
  if (!integration) {
    throw new VendorTerminalError({
      vendor: "klaviyo",
      operation: "segment-sync",
      failure: "rejected",
      status: null,
      detail: "Klaviyo is not connected for this shop",
    });
  }
  const calls: VendorCall[] = [];
  // A sync is one long job: it may wait out a whole minute window rather than give up.
  const client = klaviyoClientFor(db, integration, {
    calls,
    signal: options.signal,
    maxWaitMs: 65_000,
  });
  try {
    return await syncKlaviyoSegment(db, client, input, options);
  } finally {
    await recordVendorCalls(
      db,
      { shop: input.shop, vendor: "klaviyo", deliveryId: null, attempt: 1 },
      calls,
    );
  }
}
