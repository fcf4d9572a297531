// Screens whose feature is not built yet say so plainly: no made-up data.
import { Empty, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../shared/PageHeader";
import type { NavLabel } from "../../app/navigation";

export function ComingSoon({ title }: { title: NavLabel }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={t(title)} />
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <>
            <Typography.Text strong>{t("comingSoon.title")}</Typography.Text>
            <br />
            <Typography.Text type="secondary">{t("comingSoon.detail")}</Typography.Text>
          </>
        }
        data-testid="coming-soon"
      />
    </section>
  );
}
