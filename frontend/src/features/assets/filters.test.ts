import { describe, expect, it } from "vitest";
import { exportHref, filtersToParams, NO_FILTERS, parseFilters, searchQuery } from "./filters";

describe("asset search filters in the address", () => {
  it("survive a round trip through the query string", () => {
    const filters = {
      ...NO_FILTERS,
      q: "铁塔",
      kind: ["tower" as const, "pole" as const],
      status: ["available" as const],
      industry: ["power"],
      region: "440305",
      minFree: 2,
      powerGuarantee: true,
      bbox: "113.90000,22.50000,114.00000,22.60000",
      near: "113.95000,22.55000",
      sort: "distance" as const,
      page: 3,
      pageSize: 100,
    };
    expect(parseFilters(filtersToParams(filters))).toEqual({ ...filters, owner: undefined, readyBy: undefined, radiusM: undefined });
  });

  it("leave defaults out, so links stay short", () => {
    expect(filtersToParams(NO_FILTERS).toString()).toBe("");
    expect(filtersToParams({ ...NO_FILTERS, kind: ["duct"] }).toString()).toBe("kind=duct");
  });

  it("ignore what is malformed instead of sending it on", () => {
    const filters = parseFilters(
      new URLSearchParams("kind=antenna&kind=tower&status=gone&region=44&bbox=1,2,3&min_free=-1&sort=price&page_size=7&page=0"),
    );
    expect(filters).toMatchObject({ kind: ["tower"], status: [], region: undefined, bbox: undefined, minFree: undefined });
    expect(filters).toMatchObject({ sort: "relevance", pageSize: 50, page: 1 });
  });

  it("sort by distance only from a point", () => {
    expect(searchQuery({ ...NO_FILTERS, sort: "distance" }).sort).toBe("relevance");
    expect(searchQuery({ ...NO_FILTERS, sort: "distance", near: "114,22.5" }).sort).toBe("distance");
  });
});

describe("the export link", () => {
  it("carries the filters the export understands and says when others are left out", () => {
    const plain = exportHref({ ...NO_FILTERS, kind: ["tower"], region: "440304", minFree: 1 }, "csv");
    expect(plain).toEqual({ href: "/api/v1/assets/export?format=csv&kind=tower&region=440304&min_free=1", partial: false });
    expect(exportHref({ ...NO_FILTERS, q: "机房" }, "geojson")).toEqual({
      href: "/api/v1/assets/export?format=geojson",
      partial: true,
    });
  });
});
