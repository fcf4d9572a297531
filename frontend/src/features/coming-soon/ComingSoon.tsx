// Screens whose feature is not built yet say so plainly: no made-up data.
import { Empty, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { NavLabel } from "../../app/navigation";

export function ComingSoon({ title }: { title: NavLabel }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title">
      <Typography.Title level={2} id="page-title">
        {t(title)}
      </Typography.Title>
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
