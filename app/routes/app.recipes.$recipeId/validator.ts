import { z } from "zod";
import type { ResourceLabel } from "../../utils/schema-form";
import type { RunActionRecord, RunOutcome } from "../../../db/schema/recipes";

/** JSON-encoded settings in a form field (parsed by the recipe's schema afterwards). */
const jsonField = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "not JSON" });
    return z.NEVER;
  }
});

/** What the recipe screen posts. */
export const actionRequest = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), config: jsonField }),
  z.object({ intent: z.literal("toggle"), enabled: z.enum(["true", "false"]) }),
  z.object({
    intent: z.literal("dry-run"),
    config: jsonField,
    /** At most this many of each trigger, none older than `days` ("" or absent: however old). */
    days: z
      .union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(30)])
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  }),
]);

export interface DryRunRowView {
  orderName: string;
  orderId: string | null;
  customer: string | null;
  trigger: string;
  /** What started it ("parcel scan"). */
  event: string;
  at: string;
  outcome: RunOutcome;
  actions: RunActionRecord[];
  /** Each action as the merchant reads it, by name. */
  lines: string[];
  reasons: string[];
}

export interface DryRunTriggerView {
  source: string;
  replayed: string;
  wouldAct: number;
  heldBack: number;
  sentences: string[];
}

export type RecipeActionResult =
  | {
      intent: "save";
      ok: true;
      message: string;
      warnings: string[];
      config: Record<string, unknown>;
      /** Titles of the resources the saved settings name. */
      resources: Record<string, ResourceLabel>;
      willDo: string;
    }
  | {
      intent: "save" | "toggle" | "dry-run";
      ok: false;
      errors: Record<string, string>;
      /** The plan's recipe limit refused it: the screen links to the Plan screen. */
      upgrade?: true;
    }
  | { intent: "toggle"; ok: true; message: string }
  | {
      intent: "dry-run";
      ok: true;
      result: {
        triggers: DryRunTriggerView[];
        rows: DryRunRowView[];
        orders: number;
        scan: DryRunRowView[];
        notes: string[];
        days: number | null;
        limit: number;
      };
    };
