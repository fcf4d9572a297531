// My organisation's notifications, newest first: open what each is about, mark one or all read.
import { CheckOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Empty, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../shared/format";
import { useMarkRead, useNotifications, type Notification } from "./api";
import { unitsText } from "../agreements/units";

type Translate = ReturnType<typeof useTranslation>["t"];

/** Keys built at run time: a plain signature keeps the type checker off the whole key union. */
type LooseTranslate = (key: string, options?: Record<string, unknown>) => string;

/** The event's label: its code is its path in the locale files (`notifications.events.match.new`). */
export function eventKey(event: Notification["event"]): string {
  return `notifications.events.${event}`;
}

/** What the notification is about, worded from its parameters (the API's `*NotificationParams`). */
function about(t: Translate, params: Notification["params"]): string {
  const translate = t as unknown as LooseTranslate;
  if ("units" in params) {
    return translate("notifications.aboutRequest", { asset: params.asset_name, units: unitsText(t, params.units, params.capacity_unit) });
  }
  if ("need_title" in params) {
    const distance =
      params.distance_m === null
        ? translate("notifications.distanceApprox")
        : translate("notifications.distanceExact", { metres: params.distance_m });
    return translate("notifications.aboutMatch", { need: params.need_title, asset: params.asset_name, distance });
  }
  return params.text; // written before notifications carried data: its sentence as it was
}

/** The event in the reader's language, then what it is about. */
export function notificationText(t: Translate, notification: Notification): string {
  const translate = t as unknown as LooseTranslate;
  return translate("notifications.line", { event: translate(eventKey(notification.event)), about: about(t, notification.params) });
}

/** Where the notification leads: the request it is about, or for a match the need (with its matches). */
export function notificationLink(notification: Notification): string | null {
  if (notification.request_id) return `/requests/${notification.request_id}`;
  if (notification.need_id) return `/needs/${notification.need_id}`;
  if (notification.asset_id) return `/assets/${notification.asset_id}`;
  return null;
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
          const link = notificationLink(notification);
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
                    {link ? (
                      <Link to={link} style={{ fontWeight: unreadItem ? 600 : 400 }}>
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
