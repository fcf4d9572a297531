import { useTranslation } from "react-i18next";
import { StatusTag } from "../../shared/StatusTag";
import type { NeedStatus } from "./api";

const TONES: Record<NeedStatus, "good" | "neutral" | "bad"> = {
  draft: "neutral",
  submitted: "neutral",
  returned: "bad",
  published: "good",
  matched: "good",
  fulfilled: "good",
  withdrawn: "neutral",
  expired: "neutral",
};

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  const { t } = useTranslation();
  return <StatusTag tone={TONES[status]}>{t(`review.needStatus.${status}`)}</StatusTag>;
}
