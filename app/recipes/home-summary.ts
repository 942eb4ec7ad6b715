import { guardPromises, type GuardConfig } from "./engine/guards";

/**
 * Home's first sentence, from the shop's state: how many switched-on recipes can act now (not
 * those paused by the plan, nor those waiting for an integration that is not connected), then
 * what the shop's own guard settings promise. Pure: the browser may import it.
 */
export function homeHeadline(input: {
  enabled: number;
  pausedByPlan: number;
  /** Switched on, not paused, but waiting for an integration they need. */
  waitingForIntegration: number;
  guards: GuardConfig;
}): string {
  if (input.enabled === 0)
    return "No recipe is switched on yet. Pick one below or browse Recipes; each shows what it would have done with your recent orders before you switch it on.";
  const running = input.enabled - input.pausedByPlan - input.waitingForIntegration;
  const aside = [
    input.waitingForIntegration > 0
      ? `${input.waitingForIntegration} waiting for an integration to be reconnected`
      : null,
    input.pausedByPlan > 0 ? `${input.pausedByPlan} paused by your plan` : null,
  ].filter(Boolean);
  const head =
    running === 0
      ? "No recipe is running"
      : `${running} recipe${running === 1 ? " is" : "s are"} running`;
  return `${head}${aside.length ? ` (${aside.join(", ")})` : ""}. ${guardPromises(input.guards)}`;
}
