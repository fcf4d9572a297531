import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Schemas } from "../../api/client";
import { industryValues, organisationKindValues } from "../../api/schema";
import { ErrorState } from "../../app/states";
import { PageHeader } from "../../shared/PageHeader";
import { StatusTag } from "../../shared/StatusTag";
import { CreateInModal } from "../../shared/CreateInModal";
import { ProblemAlert } from "../../shared/problems";
import { RegionPicker } from "../regions/RegionPicker";
import { useRegionsByCode } from "../regions/api";
import { useCreateOrganisation, useOrganisations, useSetJurisdiction } from "./api";

type OrganisationRead = Schemas["OrganisationRead"];
type OrganisationCreate = Schemas["OrganisationCreate"];

function CreateOrganisationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateOrganisation();
  return (
    <CreateInModal
      title={t("organisations.create")}
      open={open}
      onClose={onClose}
      formId="create-organisation-form"
      initialValues={{ kind: "operator", industry: "telecom" }}
      mutation={create}
      toBody={(values: OrganisationCreate) => values}
      onCreated={(organisation) => void message.success(t("organisations.created", { name: organisation.name }))}
    >
      <Form.Item label={t("organisations.name")} name="name" rules={[{ required: true, max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item label={t("organisations.kind")} name="kind">
        <Select options={organisationKindValues.map((kind) => ({ value: kind, label: t(`organisationKinds.${kind}`) }))} />
      </Form.Item>
      <Form.Item label={t("organisations.industry")} name="industry">
        <Select options={industryValues.map((industry) => ({ value: industry, label: t(`industries.${industry}`) }))} />
      </Form.Item>
    </CreateInModal>
  );
}

function RegionTag({ code, name, onClose }: { code: string; name?: string; onClose?: () => void }) {
  return (
    <Tag closable={!!onClose} onClose={onClose} style={{ marginBottom: 4 }}>
      {name ? `${name} ` : ""}
      <Typography.Text type="secondary">{code}</Typography.Text>
    </Tag>
  );
}

function JurisdictionModal({ organisation, onClose }: { organisation: OrganisationRead | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSetJurisdiction();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [picked, setPicked] = useState<string | undefined>();
  const current = codes ?? organisation?.jurisdiction ?? [];
  const names = useRegionsByCode(current);
  const close = () => {
    setCodes(null);
    setPicked(undefined);
    save.reset();
    onClose();
  };
  return (
    <Modal
      title={t("organisations.jurisdictionOf", { name: organisation?.name ?? "" })}
      open={organisation !== null}
      onCancel={close}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: current.length === 0 }}
      confirmLoading={save.isPending}
      destroyOnHidden
      onOk={() =>
        organisation &&
        save.mutate(
          { organisationId: organisation.id, regionCodes: current },
          {
            onSuccess: () => {
              void message.success(t("organisations.jurisdictionSaved"));
              close();
            },
          },
        )
      }
    >
      <ProblemAlert error={save.error} />
      <Typography.Paragraph type="secondary">{t("organisations.jurisdictionHint")}</Typography.Paragraph>
      <div aria-live="polite" style={{ marginBottom: 12 }}>
        {current.length === 0 ? (
          <Typography.Text type="secondary">{t("organisations.noJurisdiction")}</Typography.Text>
        ) : (
          current.map((code, index) => (
            <RegionTag
              key={code}
              code={code}
              name={names[index]?.data?.name}
              onClose={() => setCodes(current.filter((c) => c !== code))}
            />
          ))
        )}
      </div>
      <Space.Compact style={{ width: "100%" }}>
        <RegionPicker id="jurisdiction-region" onChange={(code) => setPicked(code)} />
        <Button
          disabled={!picked || current.includes(picked)}
          onClick={() => picked && setCodes([...current, picked])}
        >
          {t("common.add")}
        </Button>
      </Space.Compact>
    </Modal>
  );
}

export default function OrganisationsPage() {
  const { t } = useTranslation();
  const organisations = useOrganisations();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<OrganisationRead | null>(null);

  if (organisations.isError)
    return <ErrorState error={organisations.error} onRetry={() => void organisations.refetch()} />;

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("organisations.title")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("organisations.create")}
          </Button>
        }
      />
      <Table<OrganisationRead>
        rowKey="id"
        size="middle"
        loading={organisations.isPending}
        dataSource={organisations.data}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: t("organisations.name"), dataIndex: "name" },
          {
            title: t("organisations.kind"),
            dataIndex: "kind",
            render: (kind: OrganisationRead["kind"]) => t(`organisationKinds.${kind}`),
            filters: organisationKindValues.map((kind) => ({ text: t(`organisationKinds.${kind}`), value: kind })),
            onFilter: (value, organisation) => organisation.kind === value,
          },
          {
            title: t("organisations.industry"),
            dataIndex: "industry",
            render: (industry: OrganisationRead["industry"]) => t(`industries.${industry}`),
          },
          {
            title: t("organisations.status"),
            dataIndex: "is_active",
            render: (active: boolean) =>
              active ? <StatusTag tone="good">{t("users.active")}</StatusTag> : <StatusTag tone="neutral">{t("users.inactive")}</StatusTag>,
          },
          {
            title: t("organisations.jurisdiction"),
            dataIndex: "jurisdiction",
            render: (codes: string[], organisation) =>
              organisation.kind === "regulator" ? (
                codes.length ? (
                  codes.map((code) => <RegionTag key={code} code={code} />)
                ) : (
                  <Typography.Text type="warning">{t("organisations.noJurisdiction")}</Typography.Text>
                )
              ) : (
                "—"
              ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, organisation) => (
              <Space size="small" wrap>
                <Link to={`/organisations/${organisation.id}/users`}>{t("organisations.users")}</Link>
                {organisation.kind === "regulator" ? (
                  <Button size="small" onClick={() => setEditing(organisation)}>
                    {t("organisations.setJurisdiction")}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <CreateOrganisationModal open={creating} onClose={() => setCreating(false)} />
      <JurisdictionModal organisation={editing} onClose={() => setEditing(null)} />
    </section>
  );
}
