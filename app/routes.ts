import { flatRoutes } from "@remix-run/fs-routes";
import type { RouteConfig } from "@remix-run/route-config";

export default flatRoutes({
  // A screen's message catalog sits beside its route (app.plan.messages.ts); it is not a route.
  ignoredRouteFiles: ["**/*.test.ts", "**/*.test.tsx", "**/*.messages.ts"],
}) satisfies RouteConfig;
