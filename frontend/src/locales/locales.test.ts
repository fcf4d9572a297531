import { describe, expect, it } from "vitest";
import en from "./en.json";
import zhCN from "./zh-CN.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

describe("locale files", () => {
  it("have the same keys in Chinese and English", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it("have no empty strings", () => {
    for (const [name, dictionary] of Object.entries({ en, zhCN })) {
      const empty = keys(dictionary).filter((key) => {
        const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dictionary);
        return typeof value === "string" && value.trim() === "";
      });
      expect(empty, name).toEqual([]);
    }
  });
});
