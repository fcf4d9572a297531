// Subscribe a URL to events, optionally only in some regions and for some asset kinds.
import { Checkbox, Form, Input, Select, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { assetKindValues } from "../../api/schema";
import { CreateInModal } from "../../shared/CreateInModal";
import { RegionPicker } from "../regions/RegionPicker";
import { useEventTypes, useSubscribe, type SubscriptionCreated } from "./api";

interface SubscribeValues {
  url: string;
  events: string[];
  region_codes: string[];
  asset_kinds: string[];
}

function RegionCodes({ value = [], onChange }: { value?: string[]; onChange?: (codes: string[]) => void }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <RegionPicker
        id="webhook-regions"
        onChange={(code) => {
          if (code && !value.includes(code)) onChange?.([...value, code]);
        }}
      />
      {value.length ? (
        <Space size={[4, 4]} wrap>
          {value.map((code) => (
            <Tag
              key={code}
              closable
              closeIcon={<span aria-label={t("webhooks.removeRegion", { code })}>×</span>}
              onClose={() => onChange?.(value.filter((item) => item !== code))}
            >
              {code}
            </Tag>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t("webhooks.allRegions")}</Typography.Text>
      )}
    </Space>
  );
}

export function SubscribeModal({
  open,
  onClose,
  onSubscribed,
}: {
  open: boolean;
  onClose: () => void;
  onSubscribed: (subscription: SubscriptionCreated) => void;
}) {
  const { t } = useTranslation();
  const subscribe = useSubscribe();
  const events = useEventTypes();
  return (
    <CreateInModal
      title={t("webhooks.create")}
      open={open}
      onClose={onClose}
      okText={t("webhooks.subscribe")}
      okButtonProps={{ id: "subscribe-submit" }}
      width={640}
      formId="subscribe-form"
      initialValues={{ url: "", events: [], region_codes: [], asset_kinds: [] }}
      mutation={subscribe}
      toBody={(values: SubscribeValues) => values}
      onCreated={onSubscribed}
    >
      <Form.Item
        label={t("webhooks.url")}
        name="url"
        extra={t("webhooks.urlHint")}
        rules={[{ required: true, message: t("webhooks.urlRequired") }]}
      >
        <Input placeholder="https://" />
      </Form.Item>
      <Form.Item
        label={t("webhooks.events")}
        name="events"
        rules={[{ required: true, type: "array", min: 1, message: t("webhooks.eventsRequired") }]}
      >
        <Checkbox.Group style={{ width: "100%" }}>
          <Space direction="vertical">
            {(events.data ?? []).map((name) => (
              <Checkbox key={name} value={name}>
                <Typography.Text code>{name}</Typography.Text> {t(`webhooks.eventNames.${name.replace(".", "_") as "ping"}`, "")}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      </Form.Item>
      <Form.Item label={t("webhooks.regions")} name="region_codes">
        <RegionCodes />
      </Form.Item>
      <Form.Item label={t("webhooks.assetKinds")} name="asset_kinds" extra={t("webhooks.assetKindsHint")}>
        <Select
          mode="multiple"
          allowClear
          aria-label={t("webhooks.assetKinds")}
          options={assetKindValues.map((kind) => ({ value: kind, label: t(`assets.kinds.${kind}`) }))}
        />
      </Form.Item>
    </CreateInModal>
  );
}
