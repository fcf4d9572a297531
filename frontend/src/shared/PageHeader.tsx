import { Space, Typography } from "antd";
import type { ReactNode } from "react";

/** The title of a screen (an h2 with id `page-title` for its section), a subtitle and its actions. */
export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  return (
    <div
      style={{
        display: "flex",
        flexWrap: "wrap",
        gap: 12,
        justifyContent: "space-between",
        alignItems: "flex-start",
        marginBottom: 16,
      }}
    >
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={2} id="page-title" style={{ margin: 0, fontSize: 22 }}>
          {title}
        </Typography.Title>
        {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      </div>
      {extra ? <Space wrap>{extra}</Space> : null}
    </div>
  );
}
