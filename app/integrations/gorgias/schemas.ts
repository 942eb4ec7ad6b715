import { z } from "zod";

/** Zod schemas for the parts of Gorgias's answers we read; loose, as Gorgias adds fields. */

const meta = z.looseObject({ next_cursor: z.string().nullish() }).nullish();
const list = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item), meta });

export const accountResponse = z.looseObject({
  domain: z.string(),
  current_user: z.looseObject({ id: z.number(), email: z.string().nullish() }).nullish(),
});

export const customerResource = z.looseObject({
  id: z.number(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});
export const customersResponse = list(customerResource);

export const TICKET_STATUSES = ["open", "closed"] as const;

export const ticketResource = z.looseObject({
  id: z.number(),
  external_id: z.string().nullish(),
  status: z.string(),
  subject: z.string().nullish(),
  customer: z.looseObject({ id: z.number(), email: z.string().nullish() }).nullish(),
  tags: z.array(z.looseObject({ name: z.string() })).nullish(),
  spam: z.boolean().nullish(),
  trashed_datetime: z.string().nullish(),
  updated_datetime: z.string().nullish(),
  created_datetime: z.string().nullish(),
  closed_datetime: z.string().nullish(),
  from_agent: z.boolean().nullish(),
});
export const ticketsResponse = list(ticketResource);

export const messageResource = z.looseObject({ id: z.number(), external_id: z.string().nullish() });
export const messagesResponse = list(messageResource);

export const integrationResource = z.looseObject({
  id: z.number(),
  type: z.string(),
  name: z.string().nullish(),
  deactivated_datetime: z.string().nullish(),
  http: z.looseObject({ id: z.number().nullish(), url: z.string() }).nullish(),
});
export const integrationsResponse = list(integrationResource);

export type GorgiasTicketSummary = z.output<typeof ticketResource>;
