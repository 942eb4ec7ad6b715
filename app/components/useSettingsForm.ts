import { useCallback, useMemo, useState } from "react";
import type { z } from "zod";
import {
  formSchema,
  fromDraft,
  parseDraft,
  setAt,
  toDraft,
  type Draft,
} from "../utils/schema-form";

/**
 * State of a settings form generated from a zod schema: the draft, whether it differs from what
 * is saved, and errors — the schema's own (as you type, once a save was tried) plus the
 * server's (checks the browser cannot make, such as "no such variant").
 */
export function useSettingsForm<S extends z.ZodType>(schema: S, saved: unknown) {
  const json = useMemo(() => formSchema(schema), [schema]);
  const savedDraft = useMemo(() => toDraft(json, saved), [json, saved]);
  const [draft, setDraft] = useState<Draft>(savedDraft);
  const [baseline, setBaseline] = useState<Draft>(savedDraft);
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});

  const result = useMemo(() => parseDraft(schema, json, draft), [schema, json, draft]);
  const clientErrors = result.ok ? {} : result.errors;
  const errors = tried ? { ...serverErrors, ...clientErrors } : serverErrors;
  const dirty = JSON.stringify(draft) !== JSON.stringify(baseline);

  const setField = useCallback((path: (string | number)[], value: Draft) => {
    setDraft((current) => setAt(current, path, value));
    // A server error belongs to the value it was about.
    setServerErrors((current) => {
      const key = path.join(".");
      if (!Object.keys(current).some((k) => k === key || k.startsWith(`${key}.`))) return current;
      return Object.fromEntries(
        Object.entries(current).filter(([k]) => k !== key && !k.startsWith(`${key}.`)),
      );
    });
  }, []);

  return {
    json,
    draft,
    dirty,
    errors,
    setField,
    /** The schema's input for the current draft, or null (errors are then shown). */
    validate(): unknown | null {
      setTried(true);
      return result.ok ? fromDraft(json, draft) : null;
    },
    /** The current draft as the schema's input, valid or not (dry runs validate on the server). */
    input: () => fromDraft(json, draft),
    valid: result.ok,
    discard() {
      setDraft(baseline);
      setServerErrors({});
      setTried(false);
    },
    /** The server saved `value`: it is the new baseline. */
    saved(value: unknown) {
      const next = toDraft(json, value);
      setDraft(next);
      setBaseline(next);
      setServerErrors({});
      setTried(false);
    },
    rejected(errors: Record<string, string>) {
      setTried(true);
      setServerErrors(errors);
    },
  };
}
