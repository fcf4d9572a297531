import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Popconfirm, Select, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import type { Schemas } from "../../api/client";
import { ErrorState } from "../../app/states";
import { formatDateTime } from "../../shared/format";
import { PageHeader } from "../../shared/PageHeader";
import { StatusTag } from "../../shared/StatusTag";
import { CreateInModal } from "../../shared/CreateInModal";
import { ProblemAlert } from "../../shared/problems";
import { ROLES_BY_KIND, useCreateUser, useOrganisation, useSetUserActive, useUsers } from "./api";
import { useSession } from "./session";

type UserRead = Schemas["UserRead"];
type UserCreate = Schemas["UserCreate"];

function CreateUserModal({
  organisationId,
  roles,
  open,
  onClose,
}: {
  organisationId: string;
  roles: readonly Schemas["Role"][];
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateUser(organisationId);
  return (
    <CreateInModal
      title={t("users.create")}
      open={open}
      onClose={onClose}
      formId="create-user-form"
      initialValues={{ role: roles[roles.length - 1], locale: "zh-CN" }}
      mutation={create}
      toBody={(values: UserCreate) => values}
      onCreated={(user) => void message.success(t("users.created", { name: user.display_name }))}
    >
      <Form.Item label={t("users.email")} name="email" rules={[{ required: true, type: "email" }]}>
        <Input type="email" autoComplete="off" />
      </Form.Item>
      <Form.Item label={t("users.displayName")} name="display_name" rules={[{ required: true, max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        label={t("users.initialPassword")}
        name="password"
        extra={t("users.passwordHint")}
        rules={[{ required: true, min: 12, max: 200 }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item label={t("users.role")} name="role">
        <Select options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
      </Form.Item>
      <Form.Item label={t("users.locale")} name="locale">
        <Select
          options={[
            { value: "zh-CN", label: "中文" },
            { value: "en", label: "English" },
          ]}
        />
      </Form.Item>
    </CreateInModal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useSession();
  const { organisationId: fromRoute } = useParams();
  const organisationId = fromRoute ?? me.organisation.id;
  const organisation = useOrganisation(organisationId);
  const users = useUsers(organisationId);
  const setActive = useSetUserActive(organisationId);
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const kind = organisation.data?.kind ?? me.organisation.kind;

  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;

  return (
    <section aria-labelledby="page-title">
      <PageHeader
        title={t("users.title")}
        subtitle={organisation.data?.name ?? me.organisation.name}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("users.create")}
          </Button>
        }
      />
      <ProblemAlert error={setActive.error} />
      <Table<UserRead>
        rowKey="id"
        size="middle"
        loading={users.isPending}
        dataSource={users.data}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: t("users.displayName"), dataIndex: "display_name" },
          { title: t("users.email"), dataIndex: "email" },
          { title: t("users.role"), dataIndex: "role", render: (role: UserRead["role"]) => t(`roles.${role}`) },
          {
            title: t("users.status"),
            dataIndex: "is_active",
            render: (active: boolean) =>
              active ? <StatusTag tone="good">{t("users.active")}</StatusTag> : <StatusTag tone="neutral">{t("users.inactive")}</StatusTag>,
          },
          { title: t("users.createdAt"), dataIndex: "created_at", render: formatDateTime },
          { title: t("users.lastLogin"), dataIndex: "last_login_at", render: formatDateTime },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_, user) =>
              user.id === me.user?.id ? (
                <Typography.Text type="secondary">{t("users.you")}</Typography.Text>
              ) : (
                <Popconfirm
                  title={user.is_active ? t("users.confirmDeactivate", { name: user.display_name }) : t("users.confirmActivate", { name: user.display_name })}
                  okText={t("common.confirm")}
                  cancelText={t("common.cancel")}
                  onConfirm={() =>
                    setActive.mutateAsync({ userId: user.id, active: !user.is_active }).then(
                      () => void message.success(user.is_active ? t("users.deactivated") : t("users.activated")),
                      () => undefined,
                    )
                  }
                >
                  <Button size="small" danger={user.is_active}>
                    {user.is_active ? t("users.deactivate") : t("users.activate")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CreateUserModal
        organisationId={organisationId}
        roles={ROLES_BY_KIND[kind]}
        open={creating}
        onClose={() => setCreating(false)}
      />
    </section>
  );
}
