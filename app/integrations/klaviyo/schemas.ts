import { z } from "zod";

/**
 * Zod schemas for the parts of Klaviyo's answers (revision 2026-07-15) we read. Objects are
 * loose: Klaviyo adds fields within a revision, and we must not fail on them.
 */

const links = z.looseObject({ next: z.string().nullish() }).optional();

export const accountsResponse = z.looseObject({
  data: z
    .array(
      z.looseObject({
        type: z.literal("account"),
        id: z.string(),
        attributes: z.looseObject({
          contact_information: z
            .looseObject({
              organization_name: z.string().nullish(),
              default_sender_name: z.string().nullish(),
            })
            .nullish(),
          public_api_key: z.string().nullish(),
          test_account: z.boolean().nullish(),
        }),
      }),
    )
    .min(1),
});

const profileResource = z.looseObject({
  type: z.literal("profile"),
  id: z.string(),
  attributes: z
    .looseObject({
      email: z.string().nullish(),
      phone_number: z.string().nullish(),
      external_id: z.string().nullish(),
    })
    .optional(),
});

export const profileResponse = z.looseObject({ data: profileResource });

export const profilesResponse = z.looseObject({ data: z.array(profileResource), links });

const listResource = z.looseObject({
  type: z.literal("list"),
  id: z.string(),
  attributes: z.looseObject({ name: z.string() }),
});

export const listResponse = z.looseObject({ data: listResource });

export const listsResponse = z.looseObject({ data: z.array(listResource), links });

export const BULK_IMPORT_STATUSES = ["queued", "processing", "complete", "cancelled"] as const;

const bulkImportJobResource = z.looseObject({
  type: z.literal("profile-bulk-import-job"),
  id: z.string(),
  attributes: z.looseObject({
    status: z.enum(BULK_IMPORT_STATUSES),
    total_count: z.number(),
    completed_count: z.number().nullish(),
    failed_count: z.number().nullish(),
    completed_at: z.string().nullish(),
  }),
});

export const bulkImportJobResponse = z.looseObject({ data: bulkImportJobResource });

export const importErrorsResponse = z.looseObject({
  data: z.array(
    z.looseObject({
      type: z.literal("import-error"),
      id: z.string(),
      attributes: z.looseObject({
        code: z.string().nullish(),
        title: z.string().nullish(),
        detail: z.string().nullish(),
        source: z.looseObject({ pointer: z.string().nullish() }).nullish(),
      }),
    }),
  ),
  links,
});

export type KlaviyoBulkImportStatus = (typeof BULK_IMPORT_STATUSES)[number];
