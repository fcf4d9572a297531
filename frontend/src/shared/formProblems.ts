// An API problem's field errors onto a form's fields, nested paths included:
// `body.capacity.free` → the field ["capacity", "free"], `redirect_uris.0` → ["redirect_uris"].
// Every form puts the API's field errors on its fields through this one function.
import type { FormInstance } from "antd";
import { ProblemError, type FieldError } from "../api/problem";
import { i18n } from "../i18n";

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every path of a form's values: `{ a: 1, b: { c: 2 } }` → [a], [b], [b, c] (lists and dates are leaves). */
export function fieldPathsOf(values: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainObject(values)) return [];
  return Object.entries(values).flatMap(([name, value]) => [[...prefix, name], ...fieldPathsOf(value, [...prefix, name])]);
}

/** A field error in the reader's language when the API sent a reason code the locale files word. */
export function fieldErrorText(error: FieldError): string {
  const key = `fieldErrors.${error.code ?? ""}`;
  return error.code && i18n.exists(key) ? String(i18n.t(key as never, error.params ?? {})) : error.message;
}

export interface FormProblemOptions {
  /** The form's fields; by default the paths of the fields the form holds now. */
  fields?: readonly FieldPath[];
  /** Renames an error's field before it is placed (a union member's tag, say). */
  rewrite?: (field: string) => string;
}

/**
 * Puts each field error of a problem on its field and scrolls to the first; returns the field
 * errors that found no field (for the alert above the form). Not a problem: nothing to place.
 */
export function applyProblemToForm(form: FormInstance, error: unknown, options: FormProblemOptions = {}): FieldError[] {
  if (!(error instanceof ProblemError)) return [];
  const known = options.fields ?? fieldPathsOf(form.getFieldsValue());
  const rewrite = options.rewrite ?? ((field: string) => field);
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  const unplaced: FieldError[] = [];
  for (const original of error.fieldErrors) {
    const fieldError = { ...original, field: rewrite(original.field) };
    const name = fieldPathOf(fieldError, known);
    if (!name) {
      unplaced.push(fieldError);
      continue;
    }
    const key = name.join(".");
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(fieldErrorText(fieldError));
    byPath.set(key, entry);
  }
  form.setFields([...byPath.values()].map(({ name, errors }) => ({ name: [...name], errors })));
  const first = byPath.values().next().value;
  if (first) form.scrollToField([...first.name], { block: "center" });
  return unplaced;
}
