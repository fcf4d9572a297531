import { PlusOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Button, Card, Select } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { needStatusValues } from "../../api/schema";
import { ErrorState } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { useUrlFilters } from "../../shared/useUrlFilters";
import { useSession } from "../accounts/session";
import { useNeeds } from "./api";
import { needFilterCodec, type NeedStatus } from "./filters";
import { NeedsTable } from "./NeedsTable";

export default function MyNeedsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const { filters: shown, change: set, replace } = useUrlFilters(needFilterCodec);
  // My organisation's needs in every state unless a state is picked.
  const filters = useMemo(
    () => ({ ...shown, organisationId: me.organisation.id, status: shown.status.length ? shown.status : [...needStatusValues] }),
    [shown, me.organisation.id],
  );
  const needs = useNeeds(filters);

  if (needs.isError && !needs.data) return <ErrorState error={needs.error} onRetry={() => void needs.refetch()} />;
  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("needs.mine.title")}
        subtitle={t("needs.mine.intro", { organisation: me.organisation.name })}
        extra={
          <>
            <Button icon={<UnorderedListOutlined />} onClick={() => navigate("/needs/published")}>
              {t("needs.published.title")}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/needs/new")} id="need-create">
              {t("needs.create")}
            </Button>
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Select<NeedStatus[]>
          mode="multiple"
          allowClear
          aria-label={t("needs.fields.status")}
          placeholder={t("needs.anyStatus")}
          value={shown.status}
          onChange={(status) => set({ status })}
          options={needStatusValues.map((value) => ({ value, label: t(`needs.statuses.${value}`) }))}
          style={{ minWidth: 260, maxWidth: "100%" }}
        />
      </Card>
      <NeedsTable
        id="my-needs"
        items={needs.data?.items ?? []}
        total={needs.data?.total ?? 0}
        loading={needs.isFetching}
        filters={shown}
        showOrganisation={false}
        onPage={(page, pageSize) => replace({ ...shown, page, pageSize })}
      />
    </section>
  );
}
