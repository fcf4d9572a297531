import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import { dateParam, oneOf, picked, positiveParam, regionParam, toSearchParams, useUrlFilters, words, type UrlFilterCodec } from "./useUrlFilters";

interface Filters {
  colour: ("red" | "blue")[];
  q: string;
  page: number;
}

const codec: UrlFilterCodec<Filters> = {
  parse: (params) => ({
    colour: params.getAll("colour").filter(oneOf(["red", "blue"] as const)),
    q: params.get("q") ?? "",
    page: positiveParam(params.get("page"), 1),
  }),
  toParams: ({ colour, q, page }) => toSearchParams({ colour, q: q || undefined, page: page > 1 ? page : undefined }),
};

function renderFilters<F extends object>(route: string, of: UrlFilterCodec<F>) {
  const wrapper = ({ children }: { children: ReactNode }) => <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>;
  return renderHook(() => ({ url: useUrlFilters(of), location: useLocation() }), { wrapper });
}

describe("useUrlFilters", () => {
  it("reads the address bar through the list's codec, dropping what is unknown", () => {
    const { result } = renderFilters("/list?colour=red&colour=green&q=duct&page=3", codec);
    expect(result.current.url.filters).toEqual({ colour: ["red"], q: "duct", page: 3 });
  });

  it("starts again on page 1 when a filter changes, and keeps the others", () => {
    const { result } = renderFilters("/list?colour=red&page=3", codec);
    act(() => result.current.url.change({ q: "tower" }));
    expect(result.current.location.search).toBe("?colour=red&q=tower");
    expect(result.current.url.filters).toEqual({ colour: ["red"], q: "tower", page: 1 });
  });

  it("writes exactly what it is given when paging", () => {
    const { result } = renderFilters("/list?colour=blue", codec);
    act(() => result.current.url.replace({ ...result.current.url.filters, page: 2 }));
    expect(result.current.location.search).toBe("?colour=blue&page=2");
  });

  it("serves filters without pages too", () => {
    const regions: UrlFilterCodec<{ region?: string }> = {
      parse: (params) => ({ region: regionParam(params.get("region")) }),
      toParams: ({ region }) => toSearchParams({ region }),
    };
    const { result } = renderFilters("/stats?region=44", regions);
    expect(result.current.url.filters).toEqual({ region: undefined });
    act(() => result.current.url.change({ region: "440305" }));
    expect(result.current.location.search).toBe("?region=440305");
  });
});

describe("address bar readers", () => {
  it("accept well-formed values only", () => {
    expect(dateParam("2026-12-05")).toBe("2026-12-05");
    expect(dateParam("05/12/2026")).toBeUndefined();
    expect(regionParam("440305001")).toBe("440305001");
    expect(regionParam("4403")).toBeUndefined();
    expect(positiveParam("0", 7)).toBe(7);
    expect(positiveParam("-2", 7)).toBe(7);
    expect(positiveParam("12", 7)).toBe(12);
    expect(toSearchParams({ a: ["x", "y"], b: undefined, c: 3, d: true }).toString()).toBe("a=x&a=y&c=3&d=true");
    expect(picked([])).toBeUndefined();
    expect(picked(["tower"])).toEqual(["tower"]);
    expect(words("  ")).toBeUndefined();
    expect(words(" 铁塔 ")).toBe("铁塔");
  });
});
