import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Progress, Result, Space, Statistic, Steps, Table, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ProblemError } from "../../api/problem";
import { assetKindValues } from "../../api/schema";
import { PageHeader } from "../../shared/PageHeader";
import { ProblemAlert } from "../../shared/problems";
import { useSession } from "../accounts/session";
import { formatOf, isFinished, templateHref, useImportJob, useStartImport, type ImportJob, type UploadFormat } from "./api";

export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** Row errors from a failed job, or from the 422 problem of a file that could not be read. */
export function rowErrorsOf(source: ImportJob | unknown): RowError[] {
  if (source instanceof ProblemError) {
    return source.fieldErrors.map((error) => ({ row: error.row ?? 0, column: error.field, message: error.message }));
  }
  const job = source as ImportJob | undefined;
  return (job?.errors ?? []).map((error) => ({ row: error.row, column: error.column, message: error.message }));
}

/** Validation is the first half of the bar, writing the second. */
export function progressPercent(job: ImportJob | undefined): number {
  if (!job) return 0;
  if (job.status === "succeeded") return 100;
  if (job.rows_total === 0) return 0;
  return Math.min(99, Math.floor(((job.rows_validated + job.rows_written) / (2 * job.rows_total)) * 100));
}

export function RowErrorTable({ errors }: { errors: readonly RowError[] }) {
  const { t } = useTranslation();
  return (
    <Table<RowError>
      id="import-row-errors"
      size="small"
      rowKey={(error) => `${error.row}-${error.column}-${error.message}`}
      dataSource={[...errors].sort((a, b) => a.row - b.row)}
      pagination={{ pageSize: 20, hideOnSinglePage: true, size: "small" }}
      scroll={{ x: 520 }}
      title={() => <Typography.Text strong>{t("assets.import.errorCount", { count: errors.length })}</Typography.Text>}
      columns={[
        { title: t("assets.import.row"), dataIndex: "row", width: 72, render: (row: number) => (row > 0 ? row : "—") },
        { title: t("assets.import.column"), dataIndex: "column", width: 180, render: (column: string) => <Typography.Text code>{column}</Typography.Text> },
        { title: t("assets.import.message"), dataIndex: "message" },
      ]}
    />
  );
}

function JobProgress({ job }: { job: ImportJob | undefined }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite">
      <Progress percent={progressPercent(job)} status={job?.status === "failed" ? "exception" : isFinished(job) ? "success" : "active"} aria-label={t("assets.import.progress")} />
      <Typography.Text type="secondary">
        {job
          ? t("assets.import.progressDetail", {
              status: t(`assets.import.statuses.${job.status}`),
              validated: job.rows_validated,
              written: job.rows_written,
              total: job.rows_total,
            })
          : t("assets.import.statuses.queued")}
      </Typography.Text>
    </div>
  );
}

function JobResult({ job, onAgain }: { job: ImportJob; onAgain: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  if (job.status === "failed") {
    return (
      <>
        <Result status="error" title={t("assets.import.failed")} subTitle={job.detail ?? t("assets.import.nothingWritten")} extra={<Button onClick={onAgain}>{t("assets.import.again")}</Button>} />
        <RowErrorTable errors={rowErrorsOf(job)} />
      </>
    );
  }
  return (
    <Result
      status="success"
      title={t("assets.import.succeeded", { count: job.rows_total })}
      subTitle={job.filename ?? undefined}
      extra={
        <Space direction="vertical" size="large" style={{ width: "100%" }}>
          <Space size="large" wrap style={{ justifyContent: "center" }} id="import-counts">
            <Statistic title={t("assets.import.created")} value={job.created_count} />
            <Statistic title={t("assets.import.updated")} value={job.updated_count} />
            <Statistic title={t("assets.import.unchanged")} value={job.unchanged_count} />
          </Space>
          <Space wrap style={{ justifyContent: "center" }}>
            <Button type="primary" onClick={() => navigate(`/assets?owner=${me.organisation.id}`)}>
              {t("assets.import.viewMine")}
            </Button>
            <Button onClick={onAgain}>{t("assets.import.again")}</Button>
          </Space>
        </Space>
      }
    />
  );
}

export default function ImportWizardPage() {
  const { t } = useTranslation();
  const start = useStartImport();
  const [file, setFile] = useState<(Blob & { name: string }) | null>(null);
  const [format, setFormat] = useState<UploadFormat | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useImportJob(jobId);
  const finished = isFinished(job.data);
  const step = !jobId ? (file ? 1 : 0) : finished ? 3 : 2;
  const rejected = start.error instanceof ProblemError && start.error.fieldErrors.length > 0;

  const again = () => {
    setJobId(null);
    setFile(null);
    setFormat(null);
    start.reset();
  };

  return (
    <section aria-labelledby="page-title">
      <PageHeader title={t("assets.import.title")} subtitle={t("assets.import.intro")} />
      <Steps
        current={step}
        status={job.data?.status === "failed" ? "error" : step === 3 ? "finish" : "process"}
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          { title: t("assets.import.steps.template") },
          { title: t("assets.import.steps.upload") },
          { title: t("assets.import.steps.progress") },
          { title: t("assets.import.steps.result") },
        ]}
      />
      {!jobId ? (
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <Card size="small" title={t("assets.import.templates")}>
            <Typography.Paragraph type="secondary">{t("assets.import.templatesIntro")}</Typography.Paragraph>
            <Space wrap>
              {assetKindValues.map((kind) => (
                <Button key={kind} icon={<DownloadOutlined />} href={templateHref(kind)} download>
                  {t(`assets.kinds.${kind}`)}
                </Button>
              ))}
            </Space>
          </Card>
          <Card size="small" title={t("assets.import.file")}>
            <Upload.Dragger
              accept=".csv,.geojson,.json"
              multiple={false}
              maxCount={1}
              showUploadList={false}
              beforeUpload={(chosen) => {
                setFile(chosen);
                setFormat(formatOf(chosen.name));
                start.reset();
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined aria-hidden />
              </p>
              <p className="ant-upload-text">{t("assets.import.drop")}</p>
              <p className="ant-upload-hint">{t("assets.import.dropHint")}</p>
            </Upload.Dragger>
            {file ? (
              <div style={{ marginTop: 12 }}>
                <Typography.Text strong id="import-file-name">
                  {file.name}
                </Typography.Text>{" "}
                <Typography.Text type="secondary">{(file.size / 1024).toFixed(1)} KB</Typography.Text>
                {!format ? <Alert type="error" showIcon message={t("assets.import.unknownFormat")} style={{ marginTop: 8 }} /> : null}
              </div>
            ) : null}
            <Space style={{ marginTop: 12 }}>
              <Button
                type="primary"
                id="import-start"
                disabled={!file || !format}
                loading={start.isPending}
                onClick={() =>
                  file && format && start.mutate({ file, format }, { onSuccess: (queued) => setJobId(queued.id) })
                }
              >
                {t("assets.import.start")}
              </Button>
            </Space>
          </Card>
          {rejected ? (
            <Card size="small">
              <Alert type="error" showIcon message={t("assets.import.failed")} description={(start.error as ProblemError).problem.detail} style={{ marginBottom: 12 }} />
              <RowErrorTable errors={rowErrorsOf(start.error)} />
            </Card>
          ) : (
            <ProblemAlert error={start.error} />
          )}
        </Space>
      ) : (
        <Card size="small">
          {job.isError ? <ProblemAlert error={job.error} /> : null}
          {!finished ? <JobProgress job={job.data} /> : job.data ? (
            <>
              <JobProgress job={job.data} />
              <JobResult job={job.data} onAgain={again} />
            </>
          ) : null}
        </Card>
      )}
    </section>
  );
}
