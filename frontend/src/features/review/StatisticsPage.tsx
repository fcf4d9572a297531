// Statistics of the needs in my jurisdiction: key figures and one chart per breakdown.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Row, Select, Statistic, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorState, Loading } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { regionParam, toSearchParams, useUrlFilters, type UrlFilterCodec } from "../../shared/useUrlFilters";
import { useSession } from "../accounts/session";
import { useRegionsByCode } from "../regions/api";
import type { NeedStatus } from "../needs/filters";
import { statsCsvUrl, useNeedStats, type NeedStats, type Series } from "./api";

type Translate = ReturnType<typeof useTranslation>["t"];
const BLUE = "#0958d9";
const ORANGE = "#d46b08";

export interface Point {
  key: string;
  label: string;
  value: number;
}

/** A series as chart rows, with its keys put into words where we have words for them. */
export function pointsOf(series: Series, label: (key: string, fallback: string) => string = (_, fallback) => fallback): Point[] {
  return series.keys.map((key, index) => ({ key, label: label(key, series.labels[index] ?? key), value: series.values[index] ?? 0 }));
}

/** Submissions and publications per month on one axis (the months of either). */
export function monthlyRows(stats: NeedStats): { month: string; submitted: number; published: number }[] {
  const months = [...new Set([...stats.by_month.keys, ...stats.published_by_month.keys])].sort();
  const value = (series: Series, key: string) => series.values[series.keys.indexOf(key)] ?? 0;
  return months.map((month) => ({
    month,
    submitted: value(stats.by_month, month),
    published: value(stats.published_by_month, month),
  }));
}

function summary(points: Point[]): string {
  return points.map((point) => `${point.label} ${point.value}`).join("，");
}

/** A chart as big as its card's figure, following its size (recharts' `responsive`, plain CSS sizing). */
const FILL = { responsive: true, width: "100%", height: "100%" } as const;

function ChartCard({ title, points, children }: { title: string; points: Point[]; children: ReactNode }) {
  const { t } = useTranslation();
  const empty = points.every((point) => point.value === 0);
  return (
    <Card size="small" title={title} className="stats-chart">
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.stats.noData")} />
      ) : (
        <figure role="img" aria-label={`${title}: ${summary(points)}`} style={{ margin: 0, height: 260 }}>
          {children}
        </figure>
      )}
    </Card>
  );
}

function BarCard({ title, points, horizontal = false }: { title: string; points: Point[]; horizontal?: boolean }) {
  const { t } = useTranslation();
  return (
    <ChartCard title={title} points={points}>
      {horizontal ? (
        <BarChart {...FILL} data={points} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={90} interval={0} />
          <Tooltip />
          <Bar dataKey="value" name={t("review.stats.count")} fill={BLUE} isAnimationActive={false} />
        </BarChart>
      ) : (
        <BarChart {...FILL} data={points} margin={{ left: -16, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="value" name={t("review.stats.count")} fill={BLUE} isAnimationActive={false} />
        </BarChart>
      )}
    </ChartCard>
  );
}

function days(value: number | null | undefined, t: Translate): string {
  const say = t as unknown as (key: string, options: { count: number }) => string; // the key union is too deep to infer here
  return value == null ? "—" : say("review.stats.days", { count: Number(value.toFixed(1)) });
}

function KeyFigures({ stats }: { stats: NeedStats }) {
  const { t } = useTranslation();
  const figures = [
    { key: "total", title: t("review.stats.total"), value: stats.total },
    { key: "published", title: t("review.stats.published"), value: stats.published_count },
    { key: "matched", title: t("review.stats.matched"), value: stats.matched_count },
    {
      key: "matchRate",
      title: t("review.stats.matchRate"),
      value: stats.match_rate == null ? "—" : `${(stats.match_rate * 100).toFixed(1)}%`,
    },
    { key: "toPublish", title: t("review.stats.medianToPublish"), value: days(stats.median_days_submitted_to_published, t) },
    { key: "toMatch", title: t("review.stats.medianToMatch"), value: days(stats.median_days_published_to_matched, t) },
    { key: "oldest", title: t("review.stats.oldestWaiting"), value: days(stats.oldest_awaiting_review_days, t) },
  ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }} id="key-figures">
      {figures.map((figure) => (
        <Col key={figure.key} xs={12} md={8} xl={6} xxl={3}>
          <Card size="small">
            <Statistic title={figure.title} value={figure.value} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Charts({ stats }: { stats: NeedStats }) {
  const { t } = useTranslation();
  const monthly = monthlyRows(stats);
  const monthPoints = monthly.map((row) => ({ key: row.month, label: row.month, value: row.submitted + row.published }));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <BarCard
          title={t("review.stats.byStatus")}
          points={pointsOf(stats.by_status, (key, fallback) => t(`needs.statuses.${key as NeedStatus}`, fallback))}
        />
      </Col>
      <Col xs={24} lg={12}>
        <BarCard
          title={t("review.stats.awaiting")}
          points={pointsOf(stats.awaiting_review, (key) => t("review.stats.ageBucket", { bucket: key }))}
        />
      </Col>
      <Col xs={24}>
        <ChartCard title={t("review.stats.byMonth")} points={monthPoints}>
          <LineChart {...FILL} data={monthly} margin={{ left: -16, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line type="linear" dataKey="submitted" name={t("review.stats.submittedSeries")} stroke={BLUE} strokeWidth={2} isAnimationActive={false} />
            <Line type="linear" dataKey="published" name={t("review.stats.publishedSeries")} stroke={ORANGE} strokeWidth={2} isAnimationActive={false} />
          </LineChart>
        </ChartCard>
      </Col>
      <Col xs={24} lg={12}>
        <BarCard
          title={t("review.stats.byKind")}
          points={pointsOf(stats.by_kind, (key, fallback) => t(`assets.kinds.${key as "tower"}`, fallback))}
        />
      </Col>
      <Col xs={24} lg={12}>
        <BarCard
          title={t("review.stats.byIndustry")}
          points={pointsOf(stats.by_industry, (key, fallback) => t(`industries.${key as "telecom"}`, fallback))}
        />
      </Col>
      <Col xs={24}>
        <BarCard title={t("review.stats.byDistrict")} points={pointsOf(stats.by_district)} horizontal />
      </Col>
    </Row>
  );
}

/** The region the figures are for (none: the whole jurisdiction), in the address bar. */
const statisticsCodec: UrlFilterCodec<{ region?: string }> = {
  parse: (params) => ({ region: regionParam(params.get("region")) }),
  toParams: ({ region }) => toSearchParams({ region }),
};

export default function StatisticsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const jurisdiction = me.organisation.jurisdiction ?? [];
  const regions = useRegionsByCode(jurisdiction);
  const {
    filters: { region },
    change,
  } = useUrlFilters(statisticsCodec);
  const stats = useNeedStats(region);

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("review.stats.title")}
        subtitle={stats.data ? t("review.stats.generatedAt", { when: formatDateTime(stats.data.generated_at) }) : undefined}
        extra={
          <>
            <Select<string>
              aria-label={t("needs.fields.region_code")}
              allowClear
              placeholder={t("review.stats.wholeJurisdiction")}
              value={region}
              onChange={(code) => change({ region: code })}
              style={{ minWidth: 200 }}
              options={jurisdiction.map((code, index) => ({
                value: code,
                label: regions[index]?.data ? `${regions[index].data.name} (${code})` : code,
              }))}
            />
            <Button icon={<DownloadOutlined />} href={statsCsvUrl(region)}>
              {t("review.stats.exportCsv")}
            </Button>
          </>
        }
      />
      {stats.isPending ? <Loading /> : null}
      {stats.isError ? <ErrorState error={stats.error} onRetry={() => void stats.refetch()} /> : null}
      {stats.data ? (
        <>
          <KeyFigures stats={stats.data} />
          {stats.data.total === 0 ? (
            <Typography.Paragraph type="secondary">{t("review.stats.noData")}</Typography.Paragraph>
          ) : (
            <Charts stats={stats.data} />
          )}
        </>
      ) : null}
    </section>
  );
}
