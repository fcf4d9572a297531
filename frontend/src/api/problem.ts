// RFC 9457 problem details as the API returns them (application/problem+json).

export interface FieldError {
  field: string;
  message: string;
  row?: number;
  /** A stable reason (e.g. `password-too-common`) worded by the locale files' `fieldErrors`. */
  code?: string;
  params?: Record<string, unknown>;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
}

/** Thrown by the API client for every answer that is not 2xx. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ProblemError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The stable slug of the problem type, e.g. `validation-error` for `/problems/validation-error`. */
  get slug(): string {
    return this.problem.type.split("/").pop() ?? "";
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((item) => ({
    field: String(item.field ?? ""),
    message: String(item.message ?? ""),
    ...(typeof item.row === "number" ? { row: item.row } : {}),
  }));
}

/** Reads a problem from any failed response; bodies that are not problems become a generic one. */
export async function problemFromResponse(response: Response): Promise<Problem> {
  const fallback: Problem = {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: response.statusText || `HTTP ${response.status}`,
  };
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    return fallback;
  }
  if (!isRecord(body)) return fallback;
  const detail = typeof body.detail === "string" ? body.detail : fallback.detail;
  // Some problems (a conflict on a unique field) name the field at the top level.
  const errors =
    fieldErrors(body.errors) ?? (typeof body.field === "string" ? [{ field: body.field, message: detail }] : []);
  return {
    type: typeof body.type === "string" ? body.type : fallback.type,
    title: typeof body.title === "string" ? body.title : fallback.title,
    status: typeof body.status === "number" ? body.status : response.status,
    detail,
    ...(typeof body.instance === "string" ? { instance: body.instance } : {}),
    ...(errors.length ? { errors } : {}),
  };
}
