// Show an API problem: a localised title and the server's detail (field errors go on the form: formProblems.ts).
import { Alert } from "antd";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../api/problem";

const KNOWN_SLUGS = [
  "validation-error",
  "not-authenticated",
  "permission-denied",
  "csrf-failed",
  "not-found",
  "conflict",
  "rate-limited",
  "internal-error",
] as const;
type KnownSlug = (typeof KNOWN_SLUGS)[number];

function isKnownSlug(slug: string): slug is KnownSlug {
  return (KNOWN_SLUGS as readonly string[]).includes(slug);
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
