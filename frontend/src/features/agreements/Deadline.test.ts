import { describe, expect, it } from "vitest";
import { currentDeadline, remaining } from "./Deadline";
import { aRequest } from "./fixtures";
import { counterBody } from "./RequestActions";
import dayjs from "dayjs";

describe("deadlines", () => {
  const now = Date.parse("2026-11-25T00:00:00Z");

  it("splits what is left into days, hours and minutes", () => {
    expect(remaining("2026-11-27T05:30:00Z", now)).toEqual({ overdue: false, days: 2, hours: 5, minutes: 30 });
  });

  it("counts how long a missed deadline is overdue", () => {
    expect(remaining("2026-11-24T22:00:00Z", now)).toEqual({ overdue: true, days: 0, hours: 2, minutes: 0 });
  });

  it("runs the owner's clock while requested and the regulator's under review or dispute", () => {
    const request = aRequest({ owner_due_at: "2026-12-01T00:00:00Z", review_due_at: "2026-12-10T00:00:00Z" });
    expect(currentDeadline(request)).toEqual({ due: "2026-12-01T00:00:00Z", party: "owner" });
    expect(currentDeadline({ ...request, status: "regulator_review" })?.party).toBe("regulator");
    expect(currentDeadline({ ...request, status: "disputed" })?.party).toBe("regulator");
    expect(currentDeadline({ ...request, status: "active" })).toBeNull();
  });
});

describe("counter-offer body", () => {
  it("holds the changed fields and the reason only", () => {
    const request = aRequest({ units: 2, start_date: "2027-01-01", end_date: "2027-12-31", terms: "", annual_fee_cny: 100 });
    const body = counterBody(request, {
      units: 2,
      term: [dayjs("2027-01-01"), dayjs("2028-06-30")],
      terms: "",
      annual_fee_cny: 80,
      reason: "  longer term, lower fee ",
    });
    expect(body).toEqual({ end_date: "2028-06-30", annual_fee_cny: 80, reason: "longer term, lower fee" });
  });
});
