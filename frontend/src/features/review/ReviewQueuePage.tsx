// Submitted needs in my jurisdiction, oldest first: publish, return with a reason, or publish several.
import { CheckOutlined, RollbackOutlined } from "@ant-design/icons";
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../api/problem";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { applyProblemToForm } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
import { useBulkPublish, usePublishNeed, useReturnNeed, useReviewQueue, type Need } from "./api";
import { NeedDrawer, NeedTitleButton } from "./NeedDrawer";

const PAGE_SIZE = 50;

/** Whole days a need has waited since its latest (re)submission. */
export function waitingDays(need: Need, now = dayjs()): number {
  return need.last_submitted_at ? now.diff(dayjs(need.last_submitted_at), "day") : 0;
}

/** Bulk publishing is all or nothing; the problem names each need that blocked it as `ids[i]`. */
export function blockedTitles(error: unknown, ids: readonly string[], needs: readonly Need[]): string[] {
  if (!(error instanceof ProblemError)) return [];
  return error.fieldErrors.flatMap((fieldError) => {
    const index = /ids\.?\[?(\d+)\]?/.exec(fieldError.field)?.[1];
    const need = index === undefined ? undefined : needs.find((n) => n.id === ids[Number(index)]);
    return need ? [`${need.title}: ${fieldError.message}`] : [];
  });
}

function ReturnModal({ need, onClose }: { need: Need; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const giveBack = useReturnNeed();
  const submit = async () => {
    // Invalid fields show their messages on the form; nothing to send then.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { reason } = values;
    try {
      await giveBack.mutateAsync({ id: need.id, reason: reason.trim() });
      void message.success(t("review.returned", { title: need.title }));
      onClose();
    } catch (error) {
      applyProblemToForm(form, error);
    }
  };
  return (
    <Modal
      open
      title={t("review.returnTitle", { title: need.title })}
      okText={t("review.return")}
      okButtonProps={{ danger: true, loading: giveBack.isPending }}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <ProblemAlert error={giveBack.error} />
      <Form form={form} layout="vertical" id="return-form" initialValues={{ reason: "" }}>
        <Form.Item
          name="reason"
          label={t("review.returnReason")}
          extra={t("review.returnHint")}
          rules={[{ required: true, whitespace: true, message: t("review.returnReasonRequired") }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const queue = useReviewQueue(page, PAGE_SIZE);
  const publish = usePublishNeed();
  const bulk = useBulkPublish();
  const [selected, setSelected] = useState<string[]>([]);
  const [returning, setReturning] = useState<Need | null>(null);
  const [viewing, setViewing] = useState<Need | null>(null);
  const needs = queue.data?.items ?? [];

  if (queue.isError) return <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />;

  const publishOne = (need: Need) =>
    publish.mutateAsync(need.id).then(
      () => {
        void message.success(t("review.published", { title: need.title }));
        setSelected((ids) => ids.filter((id) => id !== need.id));
        setViewing(null);
      },
      () => undefined,
    );
  const publishSelected = () =>
    bulk.mutateAsync(selected).then(
      (result) => {
        void message.success(t("review.bulkPublished", { count: result.published.length }));
        setSelected([]);
      },
      () => undefined,
    );
  const blocked = blockedTitles(bulk.error, selected, needs);

  const actions = (need: Need) => (
    <Space size="small" wrap>
      <Popconfirm
        title={t("review.confirmPublish", { title: need.title })}
        okText={t("review.publish")}
        cancelText={t("common.cancel")}
        onConfirm={() => publishOne(need)}
      >
        <Button size="small" type="primary" icon={<CheckOutlined />} aria-label={`${t("review.publish")} ${need.title}`}>
          {t("review.publish")}
        </Button>
      </Popconfirm>
      <Button
        size="small"
        danger
        icon={<RollbackOutlined />}
        aria-label={`${t("review.return")} ${need.title}`}
        onClick={() => setReturning(need)}
      >
        {t("review.return")}
      </Button>
    </Space>
  );

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("review.title")}
        subtitle={t("review.intro", { total: queue.data?.total ?? 0 })}
        extra={
          <>
          <Button
            id="select-page"
            disabled={needs.length === 0}
            onClick={() => setSelected(selected.length === needs.length ? [] : needs.map((need) => need.id))}
          >
            {selected.length === needs.length && needs.length > 0 ? t("review.selectNone") : t("review.selectPage")}
          </Button>
          <Popconfirm
            title={t("review.confirmBulk", { count: selected.length })}
            okText={t("review.publishSelected", { count: selected.length })}
            cancelText={t("common.cancel")}
            onConfirm={publishSelected}
            disabled={selected.length === 0}
          >
            <Button type="primary" disabled={selected.length === 0} loading={bulk.isPending} id="bulk-publish">
              {t("review.publishSelected", { count: selected.length })}
            </Button>
          </Popconfirm>
          </>
        }
      />
      <ProblemAlert error={publish.error} />
      {bulk.error ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={t("review.bulkFailed")}
          description={
            blocked.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {blocked.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : (
              (bulk.error as Error).message
            )
          }
        />
      ) : null}
      <Table<Need>
        rowKey="id"
        size="middle"
        loading={queue.isFetching}
        dataSource={needs}
        scroll={{ x: 1000 }}
        rowSelection={{
          // No select-all box in the header: the table's hidden measuring row would copy it.
          hideSelectAll: true,
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          // Each box is named after its need (passed through to the input).
          getCheckboxProps: (need) => ({ "aria-label": t("review.select", { title: need.title }) }) as object,
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: queue.data?.total ?? 0,
          onChange: setPage,
          hideOnSinglePage: true,
          showSizeChanger: false,
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.empty")} /> }}
        columns={[
          {
            title: t("review.need.title"),
            key: "title",
            width: 230,
            render: (_, need) => (
              <Space direction="vertical" size={0}>
                <NeedTitleButton need={need} onOpen={setViewing} />
                {need.last_return_reason ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("review.resubmitted")}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t("review.need.organisation"),
            key: "organisation",
            width: 200,
            render: (_, need) => (
              <Space direction="vertical" size={0}>
                <span>{need.organisation_name}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {need.region_name}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t("review.need.kindsQuantity"),
            key: "kinds",
            width: 150,
            render: (_, need) => (
              <Space size={[0, 4]} wrap>
                {need.wanted_kinds.map((kind) => (
                  <Tag key={kind}>{t(`assets.kinds.${kind}`)}</Tag>
                ))}
                <span>× {need.quantity}</span>
              </Space>
            ),
          },
          { title: t("review.need.neededBy"), dataIndex: "needed_by", width: 100 },
          {
            title: t("review.waiting"),
            key: "waiting",
            width: 120,
            render: (_, need) => {
              const days = waitingDays(need);
              return (
                <Space direction="vertical" size={0}>
                  <Typography.Text type={days >= 8 ? "danger" : undefined}>{t("review.waitingDays", { count: days })}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(need.last_submitted_at)}
                  </Typography.Text>
                </Space>
              );
            },
          },
          { title: t("common.actions"), key: "actions", width: 170, render: (_, need) => actions(need) },
        ]}
      />
      <NeedDrawer need={viewing} onClose={() => setViewing(null)} extra={viewing ? actions(viewing) : null} />
      {returning ? (
        <ReturnModal
          need={returning}
          onClose={() => {
            setSelected((ids) => ids.filter((id) => id !== returning.id));
            setViewing(null);
            setReturning(null);
          }}
        />
      ) : null}
    </section>
  );
}
