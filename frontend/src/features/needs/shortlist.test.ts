import { act, renderHook } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { SHORTLIST_KEY, useShortlist } from "./shortlist";

const TOWER = { assetId: "a1", name: "科技园北区铁塔", kind: "tower", score: 0.58 };

describe("the shortlist", () => {
  beforeEach(() => window.localStorage.clear());

  it("adds and removes an asset and keeps the list in the browser, per need", () => {
    const { result } = renderHook(() => useShortlist("need-1"));
    act(() => result.current.toggle(TOWER));
    expect(result.current.entries.map((entry) => entry.assetId)).toEqual(["a1"]);
    expect(result.current.has("a1")).toBe(true);
    const stored = JSON.parse(window.localStorage.getItem(SHORTLIST_KEY) ?? "{}");
    expect(stored["need-1"][0]).toMatchObject(TOWER);

    const other = renderHook(() => useShortlist("need-2"));
    expect(other.result.current.entries).toEqual([]);

    act(() => result.current.toggle(TOWER));
    expect(result.current.entries).toEqual([]);
  });

  it("is shared by every component showing the same need", () => {
    const first = renderHook(() => useShortlist("need-1"));
    const second = renderHook(() => useShortlist("need-1"));
    act(() => first.result.current.toggle(TOWER));
    expect(second.result.current.has("a1")).toBe(true);
    act(() => second.result.current.remove("a1"));
    expect(first.result.current.entries).toEqual([]);
  });

  it("survives a damaged store", () => {
    window.localStorage.setItem(SHORTLIST_KEY, "{not json");
    const { result } = renderHook(() => useShortlist("need-1"));
    expect(result.current.entries).toEqual([]);
  });
});
