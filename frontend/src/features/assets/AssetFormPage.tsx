import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Space } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { assetKindValues, assetStatusValues, visibilityValues } from "../../api/schema";
import { ErrorState, Loading } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { applyProblemToForm } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
import { useRegionChildren } from "../regions/api";
import { nearestRegion } from "../regions/nearest";
import { RegionSelect } from "../regions/RegionSelect";
import { useAsset, useCreateAsset, useUpdateAsset, type AssetRead } from "./api";
import { createBody, formValuesOf, knownFields, parseNumbers, rewriteField, updateBody, type AssetFormValues } from "./assetForm";
import { FormRadioGroup, FormSelect } from "./controls";
import { GeometryPicker, type PickedGeometry } from "./GeometryPicker";
import {
  ATTRIBUTE_FIELDS,
  CAPACITY_UNITS,
  GEOMETRY_TYPES,
  type AssetKind,
  type AttributeField,
} from "./kinds";
import { useAttributeValue } from "./labels";

function AttributeInput({ field }: { field: AttributeField }) {
  const { t } = useTranslation();
  const label = t(`assets.attributes.${field.name}`);
  const optionLabel = useAttributeValue();
  const required = "required" in field && field.required ? [{ required: true, message: t("assets.form.required", { field: label }) }] : [];
  switch (field.type) {
    case "number":
      return (
        <Form.Item name={["attributes", field.name]} label={label} rules={required}>
          <InputNumber min={field.min ?? 0} max={field.max} precision={field.integer ? 0 : undefined} style={{ width: "100%" }} />
        </Form.Item>
      );
    case "choice":
      return (
        <Form.Item name={["attributes", field.name]} label={label} rules={required}>
          <FormSelect allowClear={!("required" in field && field.required)} options={field.options.map((value) => ({ value, label: optionLabel(field.name, value) }))} />
        </Form.Item>
      );
    case "text":
      return (
        <Form.Item name={["attributes", field.name]} label={label} rules={[...required, { max: field.max }]}>
          <Input />
        </Form.Item>
      );
    case "numbers":
      return (
        <Form.Item
          name={["attributes", field.name]}
          label={label}
          extra={t("assets.form.numbersHint")}
          rules={[
            {
              validator: (_, value: unknown) => {
                if (value === undefined || value === null || String(value).trim() === "") return Promise.resolve();
                const numbers = parseNumbers(String(value));
                return numbers && numbers.every((number) => number > 0 && number <= field.max)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("assets.form.numbersInvalid", { max: field.max })));
              },
            },
          ]}
        >
          <Input />
        </Form.Item>
      );
  }
}

function AssetForm({ asset }: { asset?: AssetRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<AssetFormValues>();
  const create = useCreateAsset();
  const update = useUpdateAsset(asset?.id ?? "");
  const districts = useRegionChildren("440300");
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const initial = useMemo(() => formValuesOf(asset), [asset]);
  const kind: AssetKind = Form.useWatch("kind", form) ?? initial.kind;
  // Only reserved space offers a choice; for every other kind the geometry type follows the kind.
  const chosenType: "Point" | "LineString" | undefined = Form.useWatch("geometryType", { form, preserve: true });
  const geometryType = GEOMETRY_TYPES[kind].length === 1 ? GEOMETRY_TYPES[kind][0] : (chosenType ?? initial.geometryType);
  const status = Form.useWatch("status", form) ?? initial.status;
  const mutation = asset ? update : create;

  const save = (values: AssetFormValues) => {
    setUnplaced([]);
    const onError = (error: unknown) =>
      setUnplaced(applyProblemToForm(form, error, { fields: knownFields(values.kind), rewrite: rewriteField }).map((item) => `${item.field}: ${item.message}`));
    const onSuccess = (saved: AssetRead) => {
      void message.success(t(asset ? "assets.form.updated" : "assets.form.created", { name: saved.name }));
      navigate(`/assets/${saved.id}`);
    };
    if (asset) update.mutate(updateBody(values, asset.version), { onSuccess, onError });
    else create.mutate(createBody(values), { onSuccess, onError });
  };

  return (
    <Form<AssetFormValues>
      form={form}
      id="asset-form"
      layout="vertical"
      initialValues={initial}
      scrollToFirstError
      onValuesChange={(changed: Partial<AssetFormValues>) => {
        if (changed.kind) {
          const types = GEOMETRY_TYPES[changed.kind];
          const geometry = form.getFieldValue("geometry") as PickedGeometry | null;
          form.setFieldValue("geometryType", types[0]);
          if (geometry && !types.includes(geometry.type)) form.setFieldValue("geometry", null);
          form.setFieldValue("attributes", changed.kind === "machine_room" ? { access_hours: "24x7" } : {});
        }
        if (changed.geometryType) form.setFieldValue("geometry", null);
        // Suggest the nearest district until the person picks a region.
        if (changed.geometry && !form.isFieldTouched("region_code")) {
          const first = changed.geometry.type === "Point" ? changed.geometry.coordinates : changed.geometry.coordinates[0];
          const region = first && nearestRegion(first, districts.data ?? []);
          if (region) form.setFieldValue("region_code", region.code);
        }
      }}
      onFinish={save}
    >
      <ProblemAlert error={mutation.error} />
      {unplaced.length ? <Alert type="error" showIcon message={unplaced.join("; ")} style={{ marginTop: 8 }} /> : null}
      <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("assets.form.basics")}>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="kind" label={t("assets.kind")} rules={[{ required: true }]} extra={asset ? t("assets.form.kindFixed") : undefined}>
                  <FormSelect disabled={!!asset} options={assetKindValues.map((value) => ({ value, label: t(`assets.kinds.${value}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="external_id" label={t("assets.fields.external_id")} rules={[{ max: 100 }]} extra={t("assets.form.externalIdHint")}>
                  <Input />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="name" label={t("assets.fields.name")} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={8}>
                <Form.Item name="status" label={t("assets.fields.status")} rules={[{ required: true }]}>
                  <FormSelect options={assetStatusValues.filter((value) => value !== "retired").map((value) => ({ value, label: t(`assets.statuses.${value}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item
                  name="ready_date"
                  label={t("assets.fields.ready_date")}
                  rules={status === "planned" ? [{ required: true, message: t("assets.form.readyDateRequired") }] : []}
                >
                  <DatePicker style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="visibility" label={t("assets.fields.visibility")}>
                  <FormSelect options={visibilityValues.map((value) => ({ value, label: t(`assets.visibilities.${value}`) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="description" label={t("assets.fields.description")} rules={[{ max: 5000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Card>
          <Card size="small" title={t("assets.form.capacity", { unit: t(`assets.units.${CAPACITY_UNITS[kind]}`) })} style={{ marginTop: 16 }}>
            <Row gutter={12}>
              <Col xs={12} sm={6}>
                <Form.Item name={["capacity", "total"]} label={t("assets.fields.capacity_total")} rules={[{ required: true }]}>
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item
                  name={["capacity", "free"]}
                  label={t("assets.fields.capacity_free")}
                  dependencies={[["capacity", "total"]]}
                  rules={[
                    { required: true },
                    ({ getFieldValue }) => ({
                      validator: (_, value: number | null) =>
                        value == null || value <= (getFieldValue(["capacity", "total"]) ?? 0)
                          ? Promise.resolve()
                          : Promise.reject(new Error(t("assets.form.freeAtMostTotal"))),
                    }),
                  ]}
                >
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name={["capacity", "power_kw"]} label={t("assets.fields.power_kw")}>
                  <InputNumber min={0} max={100_000} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name={["capacity", "power_guarantee"]} label={t("assets.fields.power_guarantee")} valuePropName="checked">
                  <Checkbox>{t("assets.powerGuarantee")}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
          </Card>
          <Card size="small" title={t("assets.form.attributes", { kind: t(`assets.kinds.${kind}`) })} style={{ marginTop: 16 }}>
            <Row gutter={12}>
              {ATTRIBUTE_FIELDS[kind].map((field) => (
                <Col xs={24} sm={12} key={`${kind}-${field.name}`}>
                  <AttributeInput field={field} />
                </Col>
              ))}
            </Row>
          </Card>
          <Card size="small" title={t("assets.form.sharing")} style={{ marginTop: 16 }}>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name={["sharing", "indicative_price_cny"]} label={t("assets.fields.indicative_price_cny")} extra={t("assets.form.priceHint")}>
                  <InputNumber min={0} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name={["sharing", "lead_time_days"]} label={t("assets.fields.lead_time_days")}>
                  <InputNumber min={0} max={3650} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name={["sharing", "terms"]} label={t("assets.fields.sharing_terms")} rules={[{ max: 5000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("assets.location")}>
            {GEOMETRY_TYPES[kind].length > 1 ? (
              <Form.Item name="geometryType" label={t("assets.form.geometryType")}>
                <FormRadioGroup
                  optionType="button"
                  options={GEOMETRY_TYPES[kind].map((value) => ({ value, label: t(`assets.form.geometryTypes.${value}`) }))}
                />
              </Form.Item>
            ) : null}
            <Form.Item
              name="geometry"
              label={geometryType === "Point" ? t("assets.form.point") : t("assets.form.route")}
              rules={[
                {
                  validator: (_, value: PickedGeometry | null) =>
                    value && (value.type === "Point" || value.coordinates.length >= 2)
                      ? Promise.resolve()
                      : Promise.reject(new Error(geometryType === "Point" ? t("assets.form.pickPoint") : t("assets.form.drawRoute"))),
                },
              ]}
            >
              <GeometryPicker mode={geometryType} height={380} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="region_code" label={t("assets.fields.region_code")} rules={[{ required: true }]} extra={t("assets.form.regionHint")}>
                  <RegionSelect ariaLabel={t("assets.fields.region_code")} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="address" label={t("assets.fields.address")} rules={[{ max: 300 }]}>
                  <Input />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
      <Space wrap style={{ marginTop: 16 }}>
        <Button type="primary" htmlType="submit" loading={mutation.isPending} id="asset-save">
          {asset ? t("common.save") : t("assets.form.createAction")}
        </Button>
        <Button onClick={() => navigate(asset ? `/assets/${asset.id}` : "/assets")}>{t("common.cancel")}</Button>
      </Space>
    </Form>
  );
}

export default function AssetFormPage() {
  const { assetId } = useParams();
  const { t } = useTranslation();
  const asset = useAsset(assetId);
  if (assetId && asset.isPending) return <Loading />;
  if (assetId && asset.isError) return <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />;
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={assetId ? t("assets.form.editTitle", { name: asset.data?.name ?? "" }) : t("assets.form.createTitle")} />
      <AssetForm asset={assetId ? asset.data : undefined} key={asset.data ? `${asset.data.id}-${asset.data.version}` : "new"} />
    </section>
  );
}
