import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { needStatusValues } from "../../api/schema";
import { renderWithProviders, useLanguage } from "../../test/render";
import type { NeedStatus } from "./filters";
import { NeedStatusTag } from "./NeedStatusTag";

// One label per status on every screen (needs lists, need detail, the regulator's drawer and list).
const LABELS: Record<"zh-CN" | "en", Record<NeedStatus, string>> = {
  "zh-CN": {
    draft: "草稿",
    submitted: "待审核",
    returned: "已退回",
    published: "已发布",
    matched: "已匹配",
    fulfilled: "已满足",
    withdrawn: "已撤回",
    expired: "已过期",
  },
  en: {
    draft: "Draft",
    submitted: "Submitted",
    returned: "Returned",
    published: "Published",
    matched: "Matched",
    fulfilled: "Fulfilled",
    withdrawn: "Withdrawn",
    expired: "Expired",
  },
};

describe("need status tag", () => {
  it.each(["zh-CN", "en"] as const)("names every status in %s", async (language) => {
    await useLanguage(language);
    renderWithProviders(
      <>
        {needStatusValues.map((status) => (
          <NeedStatusTag key={status} status={status} />
        ))}
      </>,
    );
    for (const status of needStatusValues) expect(screen.getByText(LABELS[language][status])).toHaveClass("ant-tag");
  });
});

describe("need status colours", () => {
  // Good: on the list or met; bad: sent back to its organisation; neutral: in progress or closed.
  const GOOD = "rgb(19, 82, 0)";
  const BAD = "rgb(168, 7, 26)";
  it.each([
    ["published", GOOD],
    ["matched", GOOD],
    ["fulfilled", GOOD],
    ["returned", BAD],
  ] as const)("%s is drawn %s", async (status, colour) => {
    await useLanguage("en");
    renderWithProviders(<NeedStatusTag status={status} />);
    expect(screen.getByText(LABELS.en[status])).toHaveStyle({ color: colour });
  });

  it.each(["draft", "submitted", "withdrawn", "expired"] as const)("%s is neutral", async (status) => {
    await useLanguage("en");
    renderWithProviders(<NeedStatusTag status={status} />);
    const tag = screen.getByText(LABELS.en[status]);
    expect(tag).not.toHaveStyle({ color: GOOD });
    expect(tag).not.toHaveStyle({ color: BAD });
  });
});
