import { useTranslation } from "react-i18next";
import { StatusTag } from "../../shared/StatusTag";
import type { NeedStatus } from "./filters";

export function needTone(status: NeedStatus): "good" | "neutral" | "bad" {
  if (status === "published" || status === "matched" || status === "fulfilled") return "good";
  if (status === "returned" || status === "withdrawn" || status === "expired") return "bad";
  return "neutral";
}

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  const { t } = useTranslation();
  return <StatusTag tone={needTone(status)}>{t(`needs.statuses.${status}`)}</StatusTag>;
}
