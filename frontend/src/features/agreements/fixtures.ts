// A sharing request as the API returns it, for component tests.
import type { SharingRequest } from "./api";

export function aRequest(overrides: Partial<SharingRequest> = {}): SharingRequest {
  return {
    id: "r1",
    status: "requested",
    requester: { id: "org-mobile", name: "中国移动深圳分公司" },
    owner: { id: "org-tower", name: "中国铁塔深圳分公司" },
    asset: { id: "a1", name: "福田站旁铁塔", kind: "tower", region_code: "440304", capacity_unit: "mounting_positions" },
    need_id: null,
    units: 2,
    start_date: "2027-01-01",
    end_date: "2027-12-31",
    terms: "",
    annual_fee_cny: 12000,
    reserved_units: 0,
    owner_due_at: new Date(Date.now() + 3 * 86_400_000 + 5 * 3_600_000).toISOString(),
    review_due_at: null,
    overdue: false,
    overdue_party: null,
    status_changed_at: "2026-11-25T02:00:00Z",
    answered_at: null,
    countered_at: null,
    accepted_at: null,
    referred_at: null,
    activated_at: null,
    disputed_at: null,
    closed_at: null,
    rejected_by: null,
    notice_date: null,
    review_rule_id: null,
    last_reason: null,
    created_at: "2026-11-25T02:00:00Z",
    version: 1,
    allowed_actions: ["accept", "reject", "counter"],
    ...overrides,
  };
}
