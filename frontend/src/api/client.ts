// The API client, generated from schemas/openapi.json (schema.d.ts, by openapi-typescript;
// `npm run api` regenerates it and a test fails when it is stale), with the headers the server
// asks for: the session's CSRF token on every change, or a share link's token.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { ApiError, offlineProblem, toProblem } from "./problem";
import type { paths } from "./schema";

export type Api = Client<paths>;

export interface ClientOptions {
  csrf?: () => string | null; // a signed-in browser session's token
  shareToken?: string; // a share link's token: read-only, one journey
  fetch?: typeof globalThis.fetch;
  baseUrl?: string;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function makeClient(options: ClientOptions = {}): Api {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? "",
    credentials: "same-origin",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const headers: Middleware = {
    onRequest({ request }) {
      if (options.shareToken) request.headers.set("X-Share-Token", options.shareToken);
      const token = options.csrf?.();
      if (token && !SAFE.has(request.method)) request.headers.set("X-CSRF-Token", token);
      return request;
    },
  };
  client.use(headers);
  return client;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError with the server's problem; a lost connection too. */
export async function must<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiError(offlineProblem(error));
  }
  if (!answer.response.ok) throw new ApiError(toProblem(answer.response, answer.error));
  return answer.data as T;
}
