// The server's refusals (RFC 9457 problem+json) as one error type the pages show as written:
// components add no rules of their own, they repeat the server's words.

export interface Problem {
  status: number;
  title: string;
  detail: string;
  retryAfter: number | null; // seconds, from Retry-After (429, 503)
  errors?: { field: string; message: string }[];
  problems?: string[];
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Seconds from a Retry-After header (a number of seconds, or an HTTP date). */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const when = Date.parse(trimmed);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

/** A Problem from an answer's status, headers and (parsed) body, whatever the body was. */
export function toProblem(response: Response, body: unknown): Problem {
  const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
  const fallback = response.statusText || `the server answered ${response.status}`;
  if (!isRecord(body)) {
    return { status: response.status, title: fallback, detail: fallback, retryAfter };
  }
  const text = (key: string): string => {
    const value = body[key];
    return typeof value === "string" ? value : "";
  };
  const problem: Problem = {
    status: typeof body.status === "number" ? body.status : response.status,
    title: text("title") || fallback,
    detail: text("detail") || text("title") || fallback,
    retryAfter,
  };
  if (Array.isArray(body.errors)) {
    problem.errors = body.errors.filter(isRecord).map((e) => ({
      field: typeof e.field === "string" ? e.field : "",
      message: typeof e.message === "string" ? e.message : "",
    }));
  }
  if (Array.isArray(body.problems)) {
    problem.problems = body.problems.filter((p): p is string => typeof p === "string");
  }
  return problem;
}

/** A problem for a request that never got an answer (the server is down, the network gone). */
export function offlineProblem(error: unknown): Problem {
  const why = error instanceof Error ? error.message : String(error);
  return {
    status: 0,
    title: "No answer",
    detail: `the server did not answer (${why}); check that it is running, then try again`,
    retryAfter: null,
  };
}

/** What to show a person for any error a request raised. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
