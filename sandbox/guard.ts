/**
 * The sandbox mints session tokens for the app and reroutes its Shopify traffic to fakes. None
 * of that may ever run next to a production app, so every entry point calls this first.
 */
export class SandboxInProductionError extends Error {
  constructor(what: string) {
    super(`${what} is a development sandbox and refuses to start with NODE_ENV=production.`);
    this.name = "SandboxInProductionError";
  }
}

export function refuseInProduction(
  what: string,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): void {
  if (nodeEnv?.trim().toLowerCase() === "production") throw new SandboxInProductionError(what);
}
