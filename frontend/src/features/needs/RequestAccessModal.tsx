// "Request access": ask an asset's owner for capacity units (POST /api/v1/sharing-requests).
import { App, DatePicker, Form, Input, InputNumber, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { CreateInModal } from "../../shared/CreateInModal";
import { isCapacityUnit } from "../assets/kinds";
import { useCreateRequest, type RequestRead } from "./api";

interface AssetSummary {
  id: string;
  name: string;
  capacity: { free: number; unit: string };
  sharing?: { indicative_price_cny?: number | null };
}

interface NeedSummary {
  id: string;
  quantity: number;
  needed_by: string;
}

interface Values {
  units: number;
  start_date: Dayjs;
  end_date: Dayjs;
  annual_fee_cny?: number | null;
  terms?: string;
}

const FIELDS = [["units"], ["start_date"], ["end_date"], ["annual_fee_cny"], ["terms"]] as const;
export const DEFAULT_TERM_YEARS = 3;

export function initialRequestValues(asset: AssetSummary, need: NeedSummary | undefined, today: Dayjs = dayjs()): Values {
  const units = Math.max(1, Math.min(need?.quantity ?? 1, asset.capacity.free || 1));
  const start = need ? dayjs(need.needed_by) : today.add(1, "day");
  const startDate = start.isBefore(today, "day") ? today : start;
  const price = asset.sharing?.indicative_price_cny;
  return {
    units,
    start_date: startDate,
    end_date: startDate.add(DEFAULT_TERM_YEARS, "year").subtract(1, "day"),
    annual_fee_cny: price != null ? price * units : undefined,
    terms: "",
  };
}

export function RequestAccessModal({
  open,
  asset,
  need,
  onClose,
  onCreated,
}: {
  open: boolean;
  asset: AssetSummary | null;
  need?: NeedSummary;
  onClose: () => void;
  onCreated?: (request: RequestRead) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateRequest();
  if (!asset) return null;
  const unit = isCapacityUnit(asset.capacity.unit) ? t(`assets.units.${asset.capacity.unit}`) : asset.capacity.unit;

  return (
    <CreateInModal
      title={t("needs.request.title", { name: asset.name })}
      open={open}
      onClose={onClose}
      okText={t("needs.request.send")}
      formId="request-access-form"
      initialValues={initialRequestValues(asset, need)}
      fields={FIELDS}
      mutation={create}
      toBody={(values: Values) => ({
        asset_id: asset.id,
        need_id: need?.id ?? null,
        units: values.units,
        start_date: values.start_date.format("YYYY-MM-DD"),
        end_date: values.end_date.format("YYYY-MM-DD"),
        annual_fee_cny: values.annual_fee_cny ?? null,
        terms: values.terms?.trim() ?? "",
      })}
      onCreated={(request) => {
        void message.success({
          content: (
            <span>
              {t("needs.request.sent", { name: asset.name })}{" "}
              <Typography.Link onClick={() => navigate("/requests")}>{t("needs.request.open")}</Typography.Link>
            </span>
          ),
          duration: 6,
        });
        onCreated?.(request);
      }}
    >
      <Typography.Paragraph type="secondary">
        {t("needs.request.intro", { free: asset.capacity.free, unit })}
      </Typography.Paragraph>
      <Form.Item
        label={t("needs.request.units", { unit })}
        name="units"
        rules={[{ required: true, message: t("needs.request.unitsRequired") }]}
      >
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item label={t("needs.request.startDate")} name="start_date" rules={[{ required: true }]}>
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item
        label={t("needs.request.endDate")}
        name="end_date"
        dependencies={["start_date"]}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value: Dayjs | undefined) =>
              !value || !getFieldValue("start_date") || value.isAfter(getFieldValue("start_date"))
                ? Promise.resolve()
                : Promise.reject(new Error(t("needs.request.endAfterStart"))),
          }),
        ]}
      >
        <DatePicker style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item label={t("needs.request.annualFee")} name="annual_fee_cny" extra={t("needs.request.annualFeeHint")}>
        <InputNumber min={0} precision={0} style={{ width: "100%" }} />
      </Form.Item>
      <Form.Item label={t("needs.request.terms")} name="terms">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} />
      </Form.Item>
    </CreateInModal>
  );
}
