import { describe, expect, it } from "vitest";
import { i18n } from "../../i18n";
import type { Match, ScoreFactor } from "./api";
import { explainFactor, percent, reachOf } from "./explain";

const NEED = { radius_m: 500, corridor_m: null, quantity: 2, needed_by: "2027-01-31", wanted_kinds: ["tower" as const] };

function match(status: "available" | "planned", readyDate: string | null): Match {
  return {
    asset: {
      kind: "tower",
      status,
      ready_date: readyDate,
      capacity: { unit: "mounting_positions", free: 3, total: 6, power_kw: null, power_guarantee: false },
    },
    distance_m: 1234.5,
    score: 0.7,
    factors: [],
  } as unknown as Match;
}

function factor(name: ScoreFactor["factor"], score = 1): ScoreFactor {
  return { factor: name, score, weight: 0.2, explanation: "server words" };
}

describe("score explanations", () => {
  it("are in Chinese, from the match's own numbers", async () => {
    await i18n.changeLanguage("zh-CN");
    const t = i18n.t.bind(i18n);
    expect(explainFactor(t, factor("distance"), match("available", null), NEED)).toBe("距需求位置 1.2 km（范围 500 m）");
    expect(explainFactor(t, factor("capacity"), match("available", null), NEED)).toBe("空闲 3 挂载位，需求 2");
    expect(explainFactor(t, factor("readiness"), match("available", null), NEED)).toBe("现已可用，需求日期 2027-01-31");
    expect(explainFactor(t, factor("readiness", 0.8), match("planned", "2027-03-02"), NEED)).toBe(
      "预计 2027-03-02 可用，比需求日期 2027-01-31 晚 30 天",
    );
    expect(explainFactor(t, factor("kind"), match("available", null), NEED)).toBe("铁塔，符合所需类型");
  });

  it("are in English too", async () => {
    await i18n.changeLanguage("en");
    const t = i18n.t.bind(i18n);
    expect(explainFactor(t, factor("capacity"), match("available", null), NEED)).toBe("3 mounting positions free, 2 needed");
    expect(explainFactor(t, factor("kind", 0), match("available", null), NEED)).toBe("Tower, not a wanted kind");
    await i18n.changeLanguage("zh-CN");
  });

  it("use the radius, the corridor, or the default reach", () => {
    expect(reachOf({ radius_m: 300, corridor_m: null })).toBe(300);
    expect(reachOf({ radius_m: null, corridor_m: 50 })).toBe(50);
    expect(reachOf({ radius_m: null, corridor_m: null })).toBe(1000);
    expect(percent(0.576)).toBe(58);
  });
});
