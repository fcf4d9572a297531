// A need's status, the same colour and words on every screen. Its labels are `needs.statuses.*`,
// the one key set for need statuses (filters, charts and counts use it too).
import { useTranslation } from "react-i18next";
import { StatusTag } from "../../shared/StatusTag";
import type { NeedStatus } from "./filters";

// As for requests (RequestStatusTag): good = in force or met, bad = sent back and awaiting its
// organisation, neutral = still in progress (draft, awaiting review) or closed without outcome.
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
  return <StatusTag tone={TONES[status]}>{t(`needs.statuses.${status}`)}</StatusTag>;
}
