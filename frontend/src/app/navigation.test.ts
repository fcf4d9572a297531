import { describe, expect, it } from "vitest";
import { homePathFor, navItemsFor } from "./navigation";

const paths = (role: Parameters<typeof navItemsFor>[0]) => navItemsFor(role).map((item) => item.path);

describe("side menu by role", () => {
  it("gives operators their work, and admins users and OAuth clients", () => {
    expect(paths("operator_member")).toEqual(["/dashboard", "/assets", "/needs", "/requests"]);
    expect(paths("operator_admin")).toEqual([
      "/dashboard",
      "/assets",
      "/needs",
      "/requests",
      "/admin/users",
      "/admin/oauth-clients",
      "/admin/webhooks",
    ]);
  });

  it("gives regulators the review queue, the needs list, statistics, overdue and disputes", () => {
    expect(paths("regulator")).toEqual([
      "/review",
      "/needs-list",
      "/statistics",
      "/oversight",
      "/admin/oauth-clients",
      "/admin/webhooks",
    ]);
    expect(homePathFor("regulator")).toBe("/review");
  });

  it("gives the platform admin organisations and users", () => {
    expect(paths("platform_admin")).toEqual(["/organisations", "/admin/users"]);
    expect(homePathFor("platform_admin")).toBe("/organisations");
  });
});
