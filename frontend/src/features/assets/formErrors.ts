// Problem details onto nested form fields: `body.capacity.free` → the field ["capacity", "free"].
import type { FormInstance } from "antd";
import { ProblemError, type FieldError } from "../../api/problem";

export type FieldPath = readonly string[];

/**
 * The form field an API error belongs to: the longest known path that starts the error's field
 * (`geometry.coordinates.3.0` → `geometry`), or undefined for errors about the request as a whole.
 */
export function fieldPathOf(error: FieldError, known: readonly FieldPath[]): FieldPath | undefined {
  const parts = error.field.split(".").filter((part) => part && part !== "body" && part !== "data");
  let best: FieldPath | undefined;
  for (const path of known) {
    const matches = path.length <= parts.length && path.every((part, index) => parts[index] === part);
    if (matches && (!best || path.length > best.length)) best = path;
  }
  return best;
}

/**
 * Puts each field error on its field; returns the errors that found no field (shown in the
 * alert above the form).
 */
export function applyProblemToFields(
  form: FormInstance,
  error: unknown,
  known: readonly FieldPath[],
  rewrite: (field: string) => string = (field) => field,
): FieldError[] {
  if (!(error instanceof ProblemError)) return [];
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  const unmatched: FieldError[] = [];
  for (const original of error.fieldErrors) {
    const fieldError = { ...original, field: rewrite(original.field) };
    const name = fieldPathOf(fieldError, known);
    if (!name) {
      unmatched.push(fieldError);
      continue;
    }
    const key = name.join(".");
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(fieldError.message);
    byPath.set(key, entry);
  }
  form.setFields([...byPath.values()].map(({ name, errors }) => ({ name: [...name], errors })));
  const first = byPath.values().next().value;
  if (first) form.scrollToField([...first.name], { block: "center" });
  return unmatched;
}
