// A deadline as a countdown ("2 days 5 h left") that turns red when missed.
import { ClockCircleOutlined, WarningOutlined } from "@ant-design/icons";
import { Tooltip, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../shared/format";
import type { SharingRequest } from "./api";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Remaining {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** Time between now and a deadline, split for display; `overdue` when it has passed. */
export function remaining(due: string, now: number): Remaining {
  const span = new Date(due).getTime() - now;
  const left = Math.abs(span);
  return {
    overdue: span < 0,
    days: Math.floor(left / DAY),
    hours: Math.floor((left % DAY) / HOUR),
    minutes: Math.floor((left % HOUR) / MINUTE),
  };
}

/** Whose deadline runs now: the owner's answer, or the regulator's review or decision. */
export function currentDeadline(request: SharingRequest): { due: string; party: "owner" | "regulator" } | null {
  if (request.status === "requested") return { due: request.owner_due_at, party: "owner" };
  if ((request.status === "regulator_review" || request.status === "disputed") && request.review_due_at) {
    return { due: request.review_due_at, party: "regulator" };
  }
  return null;
}

function useNow(intervalMs = MINUTE): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Countdown({ due }: { due: string }) {
  const { t } = useTranslation();
  const now = useNow();
  const left = remaining(due, now);
  const text =
    left.days > 0
      ? t("agreements.deadline.daysHours", { days: left.days, hours: left.hours })
      : t("agreements.deadline.hoursMinutes", { hours: left.hours, minutes: left.minutes });
  return (
    <Tooltip title={t("agreements.deadline.due", { when: formatDateTime(due) })}>
      <Typography.Text type={left.overdue ? "danger" : undefined} className="deadline-countdown">
        {left.overdue ? <WarningOutlined aria-hidden /> : <ClockCircleOutlined aria-hidden />}{" "}
        {left.overdue ? t("agreements.deadline.overdueBy", { span: text }) : t("agreements.deadline.left", { span: text })}
      </Typography.Text>
    </Tooltip>
  );
}

/** The running deadline of a request with whose it is, or a dash when nobody is on the clock. */
export function RequestDeadline({ request, withParty = false }: { request: SharingRequest; withParty?: boolean }) {
  const { t } = useTranslation();
  const deadline = currentDeadline(request);
  if (!deadline) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span>
      {withParty ? <Typography.Text type="secondary">{t(`agreements.deadline.party.${deadline.party}`)} </Typography.Text> : null}
      <Countdown due={deadline.due} />
    </span>
  );
}
