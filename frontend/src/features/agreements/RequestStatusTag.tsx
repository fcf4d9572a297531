import { useTranslation } from "react-i18next";
import { StatusTag } from "../../shared/StatusTag";
import type { RequestStatus } from "./api";

const TONES: Record<RequestStatus, "good" | "neutral" | "bad"> = {
  requested: "neutral",
  countered: "neutral",
  accepted: "good",
  regulator_review: "neutral",
  active: "good",
  disputed: "bad",
  rejected: "bad",
  withdrawn: "neutral",
  terminated: "neutral",
  expired: "neutral",
};

export function RequestStatusTag({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return <StatusTag tone={TONES[status]}>{t(`agreements.status.${status}`)}</StatusTag>;
}
