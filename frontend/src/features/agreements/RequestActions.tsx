// The buttons for what I may do now (the API's `allowed_actions`), each with the form it needs.
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { rejectionReasonValues } from "../../api/schema";
import { AddonNumber } from "../../shared/AddonNumber";
import { applyProblemToForm } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
import { useRequestAction, type RequestAction, type SharingRequest, type VerbInput } from "./api";
import { unitName } from "./units";

/** How each verb asks for its input: a confirmation, a reason (optional or required), or its own form. */
export const ACTION_FORMS: Record<RequestAction, "confirm" | "optionalReason" | "requiredReason" | "reject" | "counter" | "terminate" | "system"> = {
  accept: "confirm",
  accept_counter: "confirm",
  reject: "reject",
  counter: "counter",
  withdraw: "optionalReason",
  reject_counter: "optionalReason",
  approve: "optionalReason",
  refuse: "requiredReason",
  escalate: "requiredReason",
  uphold: "requiredReason",
  order_acceptance: "requiredReason",
  terminate: "terminate",
  refer: "system",
  activate: "system",
  expire: "system",
};

const DANGER: ReadonlySet<RequestAction> = new Set(["reject", "refuse", "withdraw", "terminate", "reject_counter", "uphold"]);
const PRIMARY: ReadonlySet<RequestAction> = new Set(["accept", "accept_counter", "approve", "order_acceptance"]);

interface CounterValues {
  units?: number;
  term?: [Dayjs, Dayjs];
  annual_fee_cny?: number | null;
  terms?: string;
  reason?: string;
}

/** Only what the owner changed goes into the counter (the API wants at least one change). */
export function counterBody(request: SharingRequest, values: CounterValues): NonNullable<VerbInput["counter"]> {
  const body: NonNullable<VerbInput["counter"]> = {};
  if (values.units != null && values.units !== request.units) body.units = values.units;
  const [start, end] = values.term ?? [];
  if (start && start.format("YYYY-MM-DD") !== request.start_date) body.start_date = start.format("YYYY-MM-DD");
  if (end && end.format("YYYY-MM-DD") !== request.end_date) body.end_date = end.format("YYYY-MM-DD");
  if (values.terms != null && values.terms !== request.terms) body.terms = values.terms;
  if (values.annual_fee_cny !== undefined && values.annual_fee_cny !== request.annual_fee_cny) {
    body.annual_fee_cny = values.annual_fee_cny;
  }
  if (values.reason?.trim()) body.reason = values.reason.trim();
  return body;
}

function ActionModal({
  request,
  action,
  onClose,
}: {
  request: SharingRequest;
  action: RequestAction;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const perform = useRequestAction();
  const kind = ACTION_FORMS[action];

  const submit = async () => {
    // Invalid fields show their messages on the form; nothing to send then.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const input: VerbInput = { id: request.id, action, reason: values.reason?.trim() || undefined };
    if (kind === "reject") input.reasonCode = values.reason_code;
    if (kind === "terminate") input.noticeDate = (values.notice_date as Dayjs).format("YYYY-MM-DD");
    if (kind === "counter") {
      input.counter = counterBody(request, values as CounterValues);
      if (Object.keys(input.counter).filter((key) => key !== "reason").length === 0) {
        form.setFields([{ name: "units", errors: [t("agreements.counterForm.nothingChanged")] }]);
        return;
      }
    }
    try {
      await perform.mutateAsync(input);
      void message.success(t("agreements.done", { action: t(`agreements.actions.${action}`) }));
      onClose();
    } catch (error) {
      applyProblemToForm(form, error);
    }
  };

  const reasonRequired = kind === "requiredReason" || kind === "reject" || kind === "terminate";
  return (
    <Modal
      open
      title={t(`agreements.actionTitles.${action}`)}
      okText={t(`agreements.actions.${action}`)}
      okButtonProps={{ danger: DANGER.has(action), loading: perform.isPending, id: "action-submit" }}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <ProblemAlert error={perform.error} id="action-error" />
      <Form
        form={form}
        layout="vertical"
        id="action-form"
        initialValues={
          kind === "counter"
            ? {
                units: request.units,
                term: [dayjs(request.start_date), dayjs(request.end_date)],
                annual_fee_cny: request.annual_fee_cny,
                terms: request.terms,
              }
            : { notice_date: dayjs() }
        }
      >
        {kind === "counter" ? (
          <>
            <Form.Item
              name="units"
              label={t("agreements.counterForm.units", { unit: unitName(t, request.asset.capacity_unit) })}
              rules={[{ required: true, message: t("agreements.counterForm.unitsRequired") }]}
            >
              <InputNumber min={1} max={1_000_000} precision={0} style={{ width: "100%" }} />
            </Form.Item>
            <Form.Item name="term" label={t("agreements.term")} rules={[{ required: true, message: t("agreements.counterForm.termRequired") }]}>
              <DatePicker.RangePicker style={{ width: "100%" }} />
            </Form.Item>
            <Form.Item name="annual_fee_cny" label={t("agreements.counterForm.fee")}>
              <AddonNumber min={0} precision={0} block after={t("agreements.cny")} />
            </Form.Item>
            <Form.Item name="terms" label={t("agreements.terms")}>
              <Input.TextArea rows={4} maxLength={10_000} />
            </Form.Item>
          </>
        ) : null}
        {kind === "reject" ? (
          <Form.Item
            name="reason_code"
            label={t("agreements.reasonCode")}
            rules={[{ required: true, message: t("agreements.reasonCodeRequired") }]}
          >
            <Select options={rejectionReasonValues.map((value) => ({ value, label: t(`agreements.rejectionReasons.${value}`) }))} />
          </Form.Item>
        ) : null}
        {kind === "terminate" ? (
          <Form.Item
            name="notice_date"
            label={t("agreements.noticeDate")}
            rules={[{ required: true, message: t("agreements.noticeDateRequired") }]}
          >
            <DatePicker style={{ width: "100%" }} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={kind === "counter" ? t("agreements.counterForm.why") : t("agreements.reason")}
          rules={reasonRequired ? [{ required: true, whitespace: true, message: t("agreements.reasonRequired") }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RequestActions({ request }: { request: SharingRequest }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const perform = useRequestAction();
  const [open, setOpen] = useState<RequestAction | null>(null);
  const actions = request.allowed_actions.filter((action) => ACTION_FORMS[action] !== "system");
  if (actions.length === 0) return null;

  return (
    <Space wrap id="request-actions">
      {actions.map((action) =>
        ACTION_FORMS[action] === "confirm" ? (
          <Popconfirm
            key={action}
            title={t(`agreements.confirm.${action as "accept" | "accept_counter"}`, {
              units: request.units,
              unit: unitName(t, request.asset.capacity_unit),
            })}
            okText={t(`agreements.actions.${action}`)}
            cancelText={t("common.cancel")}
            onConfirm={() =>
              perform
                .mutateAsync({ id: request.id, action })
                .then(
                  () => void message.success(t("agreements.done", { action: t(`agreements.actions.${action}`) })),
                  (error: unknown) => void message.error(error instanceof Error ? error.message : String(error)),
                )
            }
          >
            <Button type={PRIMARY.has(action) ? "primary" : "default"} loading={perform.isPending}>
              {t(`agreements.actions.${action}`)}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            key={action}
            type={PRIMARY.has(action) ? "primary" : "default"}
            danger={DANGER.has(action)}
            onClick={() => setOpen(action)}
          >
            {t(`agreements.actions.${action}`)}
          </Button>
        ),
      )}
      {open ? <ActionModal request={request} action={open} onClose={() => setOpen(null)} /> : null}
    </Space>
  );
}
