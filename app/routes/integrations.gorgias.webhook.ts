import type { ActionFunctionArgs } from "@remix-run/node";
import { getRuntime } from "../runtime.server";
import { handleGorgiasCall } from "../integrations/gorgias/webhook.server";

/** Gorgias HTTP-integration calls (ticket created / updated); see app/integrations/gorgias/webhook.server.ts. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const runtime = await getRuntime();
  return handleGorgiasCall(runtime.database.db, runtime.queue, request, runtime.clock);
};

export const loader = () => new Response("POST only", { status: 405 });
