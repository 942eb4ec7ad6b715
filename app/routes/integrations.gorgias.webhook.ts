import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "../db.server";
import { handleGorgiasCall } from "../integrations/gorgias/webhook.server";

/** Gorgias HTTP-integration calls (ticket created / updated); see app/integrations/gorgias/webhook.server.ts. */
export const action = async ({ request }: ActionFunctionArgs) =>
  handleGorgiasCall(await db(), request);

export const loader = () => new Response("POST only", { status: 405 });
