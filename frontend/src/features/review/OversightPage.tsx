// Requests a regulator watches: overdue answers and reviews, disputes to decide, agreements to approve.
import { Badge, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { ErrorState } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { oneOf, positiveParam, toSearchParams, useUrlFilters, type UrlFilterCodec } from "../../shared/useUrlFilters";
import { useOverdueRequests, useRequests, type RequestStatus } from "../agreements/api";
import { RequestTable } from "../agreements/RequestsPage";

const TABS = ["overdue", "disputed", "regulator_review"] as const;
type Tab = (typeof TABS)[number];
const PAGE_SIZE = 20;

/** The tab and its page in the address bar. */
const oversightCodec: UrlFilterCodec<{ tab: Tab; page: number }> = {
  parse: (params) => {
    const tab = params.get("tab") ?? "";
    return { tab: oneOf(TABS)(tab) ? tab : "overdue", page: positiveParam(params.get("page"), 1) };
  },
  toParams: ({ tab, page }) => toSearchParams({ tab, page: page > 1 ? page : undefined }),
};

function StatusList({ status, page, onPage }: { status: RequestStatus; page: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const requests = useRequests({ status: [status], page, pageSize: PAGE_SIZE });
  if (requests.isError) return <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />;
  return (
    <RequestTable
      requests={requests.data?.items ?? []}
      loading={requests.isFetching}
      counterparty="both"
      emptyText={t(`review.oversight.empty.${status as "disputed" | "regulator_review"}`)}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: requests.data?.total ?? 0, onChange: onPage }}
    />
  );
}

function OverdueList({ page, onPage }: { page: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const requests = useOverdueRequests(page);
  if (requests.isError) return <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />;
  return (
    <RequestTable
      requests={requests.data?.items ?? []}
      loading={requests.isFetching}
      counterparty="both"
      emptyText={t("review.oversight.empty.overdue")}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: requests.data?.total ?? 0, onChange: onPage }}
    />
  );
}

export default function OversightPage() {
  const { t } = useTranslation();
  const { filters, replace } = useUrlFilters(oversightCodec);
  const { tab, page } = filters;
  const go = (next: Tab, nextPage = 1) => replace({ tab: next, page: nextPage });
  const overdueCount = useOverdueRequests(1).data?.total ?? 0;
  const disputedCount = useRequests({ status: ["disputed"], pageSize: 1 }).data?.total ?? 0;
  const reviewCount = useRequests({ status: ["regulator_review"], pageSize: 1 }).data?.total ?? 0;
  const counts: Record<Tab, number> = { overdue: overdueCount, disputed: disputedCount, regulator_review: reviewCount };

  return (
    <section aria-labelledby="page-title">
      <PageHeader title={t("review.oversight.title")} subtitle={t("review.oversight.intro")} />
      <Tabs
        activeKey={tab}
        onChange={(key) => go(key as Tab)}
        items={TABS.map((key) => ({
          key,
          label: (
            <span>
              {t(`review.oversight.tabs.${key}`)} <Badge count={counts[key]} size="small" color="#cf1322" showZero={false} />
            </span>
          ),
          children:
            key !== tab ? null : key === "overdue" ? (
              <OverdueList page={page} onPage={(next) => go(key, next)} />
            ) : (
              <StatusList status={key} page={page} onPage={(next) => go(key, next)} />
            ),
        }))}
      />
    </section>
  );
}
