import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { assetKindValues, needModeValues, needPurposeValues } from "../../api/schema";
import { ErrorState, Loading } from "../../app/states";
import { AddonNumber } from "../../shared/AddonNumber";
import { PageHeader } from "../../shared/PageHeader";
import { applyProblemToForm, type FieldPath } from "../../shared/formProblems";
import { ProblemAlert } from "../../shared/problems";
import { FormCheckboxGroup, FormRadioGroup, FormSelect } from "../assets/controls";
import { GeometryPicker, type PickedGeometry } from "../assets/GeometryPicker";
import { circlePolygon, corridorFeature } from "../map/geometry";
import { useRegionChildren } from "../regions/api";
import { nearestRegion } from "../regions/nearest";
import { RegionSelect } from "../regions/RegionSelect";
import { performNeedVerb, useCreateNeed, useNeed, useUpdateNeed, type NeedCreate, type NeedRead } from "./api";
import type { NeedMode, NeedPurpose, WantedKind } from "./filters";

export interface NeedFormValues {
  title: string;
  purpose: NeedPurpose;
  mode: NeedMode;
  wanted_kinds: WantedKind[];
  shape: "point" | "route";
  geometry: PickedGeometry | null;
  radius_m?: number | null;
  corridor_m?: number | null;
  region_code?: string;
  quantity: number;
  needed_by?: Dayjs;
  description?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

const FIELDS: FieldPath[] = [
  "title",
  "purpose",
  "mode",
  "wanted_kinds",
  "geometry",
  "radius_m",
  "corridor_m",
  "region_code",
  "quantity",
  "needed_by",
  "description",
  "contact_name",
  "contact_phone",
  "contact_email",
].map((name) => [name]);

export const DEFAULT_RADIUS_M = 500;
export const DEFAULT_CORRIDOR_M = 50;

export function needBody(values: NeedFormValues): NeedCreate {
  const point = values.shape === "point";
  return {
    title: values.title,
    purpose: values.purpose,
    mode: values.mode,
    wanted_kinds: values.wanted_kinds,
    geometry: values.geometry as NeedCreate["geometry"],
    radius_m: point ? (values.radius_m ?? null) : null,
    corridor_m: point ? null : (values.corridor_m ?? null),
    region_code: values.region_code ?? "",
    quantity: values.quantity,
    needed_by: values.needed_by ? values.needed_by.format("YYYY-MM-DD") : "",
    description: values.description ?? "",
    contact_name: values.contact_name ?? "",
    contact_phone: values.contact_phone ?? "",
    contact_email: values.contact_email ?? "",
  };
}

function initialValues(need: NeedRead | undefined): Partial<NeedFormValues> {
  if (!need) {
    return {
      purpose: "macro_site",
      mode: "share",
      wanted_kinds: ["tower"],
      shape: "point",
      geometry: null,
      radius_m: DEFAULT_RADIUS_M,
      corridor_m: DEFAULT_CORRIDOR_M,
      quantity: 1,
      needed_by: dayjs().add(3, "month"),
    };
  }
  const route = need.geometry.type === "LineString";
  return {
    title: need.title,
    purpose: need.purpose,
    mode: need.mode,
    wanted_kinds: need.wanted_kinds,
    shape: route ? "route" : "point",
    geometry: need.geometry as unknown as PickedGeometry,
    radius_m: need.radius_m ?? DEFAULT_RADIUS_M,
    corridor_m: need.corridor_m ?? DEFAULT_CORRIDOR_M,
    region_code: need.region_code,
    quantity: need.quantity,
    needed_by: dayjs(need.needed_by),
    description: need.description,
    contact_name: need.contact_name,
    contact_phone: need.contact_phone,
    contact_email: need.contact_email,
  };
}

function NeedForm({ need }: { need?: NeedRead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<NeedFormValues>();
  const create = useCreateNeed();
  const update = useUpdateNeed(need?.id ?? "");
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const districts = useRegionChildren("440300");
  const shape = Form.useWatch("shape", form) ?? (need?.geometry.type === "LineString" ? "route" : "point");
  const geometry = Form.useWatch("geometry", form) as PickedGeometry | null | undefined;
  const radius = Form.useWatch("radius_m", form);
  const corridor = Form.useWatch("corridor_m", form);
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error ?? submitError;

  const overlay = useMemo(() => {
    if (geometry?.type === "Point" && radius) {
      return { areas: { type: "FeatureCollection" as const, features: [circlePolygon("need", geometry.coordinates, radius)] } };
    }
    if (geometry?.type === "LineString" && geometry.coordinates.length >= 2 && corridor) {
      return { corridors: { type: "FeatureCollection" as const, features: [corridorFeature("need", geometry.coordinates, corridor)] } };
    }
    return {};
  }, [geometry, radius, corridor]);

  const save = async (values: NeedFormValues, thenSubmit: boolean) => {
    setUnplaced([]);
    setSubmitError(null);
    const body = needBody(values);
    let saved: NeedRead;
    try {
      saved = need ? await update.mutateAsync(body) : await create.mutateAsync(body);
    } catch (problem) {
      setUnplaced(applyProblemToForm(form, problem, { fields: FIELDS }).map((item) => `${item.field}: ${item.message}`));
      return;
    }
    if (thenSubmit) {
      try {
        saved = await performNeedVerb(saved.id, saved.status === "returned" ? "resubmit" : "submit");
      } catch (problem) {
        setSubmitError(problem);
        navigate(`/needs/${saved.id}`);
        return;
      }
    }
    void message.success(t(thenSubmit ? "needs.form.submitted" : "needs.form.saved", { title: saved.title }));
    navigate(`/needs/${saved.id}`);
  };

  return (
    <Form<NeedFormValues>
      form={form}
      id="need-form"
      layout="vertical"
      initialValues={initialValues(need)}
      scrollToFirstError
      onValuesChange={(changed: Partial<NeedFormValues>) => {
        if ("shape" in changed) form.setFieldValue("geometry", null);
        // Suggest the nearest district until the person picks a region.
        if (changed.geometry && !form.isFieldTouched("region_code")) {
          const first = changed.geometry.type === "Point" ? changed.geometry.coordinates : changed.geometry.coordinates[0];
          const region = first && nearestRegion(first, districts.data ?? []);
          if (region) form.setFieldValue("region_code", region.code);
        }
      }}
      onFinish={(values) => void save(values, false)}
    >
      <ProblemAlert error={error} />
      {unplaced.length ? <Alert type="error" showIcon message={unplaced.join("; ")} style={{ marginTop: 8 }} /> : null}
      <Row gutter={[16, 0]} style={{ marginTop: 8 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("needs.form.what")}>
            <Form.Item label={t("needs.fields.title")} name="title" rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item label={t("needs.fields.purpose")} name="purpose" rules={[{ required: true }]}>
                  <FormSelect options={needPurposeValues.map((value) => ({ value, label: t(`needs.purposes.${value}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label={t("needs.fields.mode")} name="mode" rules={[{ required: true }]}>
                  <FormRadioGroup options={needModeValues.map((value) => ({ value, label: t(`needs.modes.${value}`) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t("needs.fields.wanted_kinds")} name="wanted_kinds" rules={[{ required: true, type: "array", min: 1 }]}>
              <FormCheckboxGroup options={assetKindValues.map((value) => ({ value, label: t(`assets.kinds.${value}`) }))} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item label={t("needs.fields.quantity")} name="quantity" rules={[{ required: true }]} extra={t("needs.form.quantityHint")}>
                  <InputNumber min={1} max={100_000} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label={t("needs.fields.needed_by")} name="needed_by" rules={[{ required: true }]}>
                  <DatePicker style={{ width: "100%" }} disabledDate={(day) => day.isBefore(dayjs(), "day")} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t("needs.fields.description")} name="description" rules={[{ max: 5000 }]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={8}>
                <Form.Item label={t("needs.fields.contact_name")} name="contact_name" rules={[{ max: 100 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item label={t("needs.fields.contact_phone")} name="contact_phone" rules={[{ max: 40 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item label={t("needs.fields.contact_email")} name="contact_email" rules={[{ type: "email" }]}>
                  <Input type="email" />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t("needs.form.where")}>
            <Form.Item name="shape" label={t("needs.fields.shape")}>
              <FormRadioGroup
                optionType="button"
                options={[
                  { value: "point", label: t("needs.form.pointRadius") },
                  { value: "route", label: t("needs.form.routeCorridor") },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="geometry"
              label={shape === "point" ? t("needs.form.location") : t("needs.form.route")}
              rules={[
                {
                  validator: (_, value: PickedGeometry | null) =>
                    value && (value.type === "Point" || value.coordinates.length >= 2)
                      ? Promise.resolve()
                      : Promise.reject(new Error(shape === "point" ? t("needs.form.pickPoint") : t("needs.form.drawRoute"))),
                },
              ]}
            >
              <GeometryPicker mode={shape === "point" ? "Point" : "LineString"} areas={overlay.areas} corridors={overlay.corridors} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                {shape === "point" ? (
                  <Form.Item label={t("needs.fields.radius_m")} name="radius_m" rules={[{ required: true }]}>
                    <AddonNumber min={1} max={50_000} precision={0} block after={t("needs.form.metres")} />
                  </Form.Item>
                ) : (
                  <Form.Item label={t("needs.fields.corridor_m")} name="corridor_m" rules={[{ required: true }]}>
                    <AddonNumber min={1} max={5_000} precision={0} block after={t("needs.form.metres")} />
                  </Form.Item>
                )}
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label={t("needs.fields.region_code")} name="region_code" rules={[{ required: true }]} extra={t("needs.form.regionHint")}>
                  <RegionSelect ariaLabel={t("needs.fields.region_code")} />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
      <Space wrap style={{ marginTop: 16 }}>
        <Button htmlType="submit" loading={pending} id="need-save-draft">
          {t("needs.form.saveDraft")}
        </Button>
        <Button
          type="primary"
          loading={pending}
          id="need-save-submit"
          onClick={() => void form.validateFields().then((values) => save(values, true), () => undefined)}
        >
          {need?.status === "returned" ? t("needs.form.saveResubmit") : t("needs.form.saveSubmit")}
        </Button>
        <Button type="link" onClick={() => navigate(need ? `/needs/${need.id}` : "/needs")}>
          {t("common.cancel")}
        </Button>
      </Space>
    </Form>
  );
}

export default function NeedFormPage() {
  const { needId } = useParams();
  const { t } = useTranslation();
  const need = useNeed(needId);
  if (needId && need.isPending) return <Loading />;
  if (needId && need.isError) return <ErrorState error={need.error} onRetry={() => void need.refetch()} />;
  return (
    <section aria-labelledby="page-title">
      <PageHeader title={needId ? t("needs.form.editTitle") : t("needs.form.createTitle")} subtitle={t("needs.form.intro")} />
      <NeedForm need={needId ? need.data : undefined} key={need.data?.id ?? "new"} />
    </section>
  );
}
