// Loading, empty and error states shared by every screen.
import { Button, Result, Spin } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemError } from "../api/problem";

export function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ display: "flex", justifyContent: "center", padding: 64 }}>
      <Spin size="large" aria-label={t("common.loading")} />
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const detail = error instanceof ProblemError ? error.problem.detail : String(error);
  return (
    <Result
      status="error"
      title={t("common.loadFailed")}
      subTitle={detail}
      extra={onRetry ? <Button onClick={onRetry}>{t("common.retry")}</Button> : undefined}
    />
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t("common.forbiddenTitle")}
      subTitle={t("common.forbidden")}
      extra={<Link to="/">{t("common.home")}</Link>}
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t("common.notFoundTitle")}
      subTitle={t("common.notFound")}
      extra={<Link to="/">{t("common.home")}</Link>}
    />
  );
}
