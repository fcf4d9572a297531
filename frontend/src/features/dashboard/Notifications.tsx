// My organisation's notifications, newest first: open the request, mark one or all read.
import { CheckOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Empty, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../shared/format";
import { useMarkRead, useNotifications, type Notification } from "./api";
import { withUnitInWords } from "../agreements/units";

type Translate = ReturnType<typeof useTranslation>["t"];

/** The event in the reader's language, then what it is about (`asset × units unit` from the title). */
/** Keys built at run time: a plain signature keeps the type checker off the whole key union. */
type LooseTranslate = (key: string, options?: Record<string, unknown>) => string;

export function notificationText(t: Translate, notification: Notification): string {
  const translate = t as unknown as LooseTranslate;
  const verb = notification.event.split(".").pop() ?? notification.event;
  const key = `notifications.events.${verb}`;
  const label = translate(key);
  if (label === key) return withUnitInWords(t, notification.title);
  const cut = notification.title.lastIndexOf(": ");
  return cut >= 0 ? translate("notifications.line", { event: label, about: withUnitInWords(t, notification.title.slice(cut + 2)) }) : label;
}

export function NotificationsCard() {
  const { t } = useTranslation();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const unread = notifications.data?.unread ?? 0;
  return (
    <Card
      size="small"
      id="notifications"
      title={
        <Space>
          {t("notifications.title")}
          <Badge count={unread} color="#cf1322" size="small" title={t("notifications.unread", { count: unread })} />
        </Space>
      }
      extra={
        // Shown only when there is something to mark (a disabled button would fade in and out).
        unread > 0 ? (
          <Button size="small" loading={markRead.isPending && markRead.variables === null} onClick={() => markRead.mutate(null)}>
            {t("notifications.markAllRead")}
          </Button>
        ) : null
      }
    >
      <List<Notification>
        size="small"
        loading={notifications.isPending}
        dataSource={notifications.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notifications.empty")} /> }}
        style={{ maxHeight: 360, overflow: "auto" }}
        renderItem={(notification) => {
          const text = notificationText(t, notification);
          const unreadItem = notification.read_at === null;
          return (
            <List.Item
              className={unreadItem ? "notification-unread" : "notification-read"}
              actions={
                unreadItem
                  ? [
                      <Button
                        key="read"
                        size="small"
                        type="text"
                        icon={<CheckOutlined />}
                        aria-label={t("notifications.markRead", { text })}
                        onClick={() => markRead.mutate(notification.id)}
                      />,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space size={4}>
                    {unreadItem ? <Badge status="processing" /> : null}
                    {notification.request_id ? (
                      <Link to={`/requests/${notification.request_id}`} style={{ fontWeight: unreadItem ? 600 : 400 }}>
                        {text}
                      </Link>
                    ) : (
                      <Typography.Text strong={unreadItem}>{text}</Typography.Text>
                    )}
                  </Space>
                }
                description={formatDateTime(notification.created_at)}
              />
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
