// Show an API problem: a localised title, the server's detail, and field errors on the form.
import { Alert, type FormInstance } from "antd";
import { useTranslation } from "react-i18next";
import { formFieldOf, ProblemError } from "../api/problem";

const KNOWN_SLUGS = [
  "validation-error",
  "not-authenticated",
  "permission-denied",
  "csrf-failed",
  "account-locked",
  "not-found",
  "conflict",
  "rate-limited",
  "internal-error",
] as const;
type KnownSlug = (typeof KNOWN_SLUGS)[number];

function isKnownSlug(slug: string): slug is KnownSlug {
  return (KNOWN_SLUGS as readonly string[]).includes(slug);
}

/**
 * Puts each `errors[].field` of a problem on the form field of that name. Returns true when
 * every field error found a field (then the form shows everything there is to say).
 */
export function applyProblemToForm(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ProblemError) || error.fieldErrors.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  let unmatched = 0;
  for (const fieldError of error.fieldErrors) {
    const field = formFieldOf(fieldError);
    if (!field || !known.has(field)) {
      unmatched += 1;
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), fieldError.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched === 0;
}

export function ProblemAlert({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ProblemError)) {
    return <Alert id={id} type="error" showIcon role="alert" message={t("problems.network")} description={String(error)} />;
  }
  const title = isKnownSlug(error.slug) ? t(`problems.${error.slug}`) : error.problem.title;
  return <Alert id={id} type="error" showIcon role="alert" message={title} description={error.problem.detail} />;
}
