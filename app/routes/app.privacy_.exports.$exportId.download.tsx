import type { LoaderFunctionArgs } from "@remix-run/node";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { exportDownload, parseExportId } from "./app.privacy/privacy.server";

/** The export as a JSON file, for the signed-in shop only (another shop's id is a 404). */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseExportId(params.exportId);
  if (id === null) return new Response("Not found", { status: 404 });
  const { database } = await getRuntime();
  return exportDownload(database.db, session.shop, id);
};
