import { Tag } from "antd";
import type { ReactNode } from "react";

// Ant Design's preset green and grey tags miss WCAG AA contrast on their own backgrounds.
const STYLES = {
  good: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
  neutral: { color: "rgba(0, 0, 0, 0.78)", background: "#fafafa", borderColor: "#d9d9d9" },
  bad: { color: "#a8071a", background: "#fff1f0", borderColor: "#ffa39e" },
} as const;

export function StatusTag({ tone, children }: { tone: keyof typeof STYLES; children: ReactNode }) {
  return <Tag style={STYLES[tone]}>{children}</Tag>;
}
