import { describe, expect, it } from "vitest";
import { needExportHref, needFiltersToParams, NO_NEED_FILTERS, parseNeedFilters } from "./filters";

describe("needs list filters", () => {
  it("survive the address bar and drop what is unknown", () => {
    const params = new URLSearchParams(
      "q=5G&region=440305&industry=telecom&industry=mining&kind=tower&purpose=macro_site&mode=share&status=submitted&published_since=2026-01-01&published_until=nope&page=2",
    );
    const filters = parseNeedFilters(params);
    expect(filters).toMatchObject({
      q: "5G",
      region: "440305",
      industry: ["telecom"],
      kind: ["tower"],
      purpose: ["macro_site"],
      mode: ["share"],
      status: ["submitted"],
      publishedSince: "2026-01-01",
      publishedUntil: undefined,
      page: 2,
    });
    expect(parseNeedFilters(needFiltersToParams(filters))).toEqual(filters);
  });

  it("export exactly the filtered list, as CSV or Excel", () => {
    const filters = { ...NO_NEED_FILTERS, kind: ["duct" as const, "cable" as const], region: "440300", page: 3 };
    expect(needExportHref(filters, "csv")).toBe("/api/v1/needs/export.csv?region=440300&kind=duct&kind=cable");
    expect(needExportHref(NO_NEED_FILTERS, "xlsx")).toBe("/api/v1/needs/export.xlsx");
  });
});
