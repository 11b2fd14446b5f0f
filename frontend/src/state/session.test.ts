// The session store against answers shaped as the server's (the network is the boundary
// replaced here; the store, the generated client and the problem parsing are the real ones).
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/problem";
import { createSessionStore, signInMessage } from "./session";

const BASE = "http://journeymap.test";
const USER = { id: "u1", email: "ann@example.com", display_name: "Ann", is_admin: false };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": type, ...headers },
  });
}

type Handler = (request: Request) => Response;

function server(handler: Handler): { fetch: typeof fetch; seen: Request[] } {
  const seen: Request[] = [];
  const fake = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    seen.push(request);
    return Promise.resolve(handler(request));
  };
  return { fetch: fake, seen };
}

const problem = (status: number, title: string, detail: string) => ({
  type: "about:blank",
  title,
  status,
  detail,
});

describe("the session store", () => {
  it("signs in, sends the CSRF token with changes, and picks the session up after a reload", async () => {
    let signedIn = false;
    const api = server((r) => {
      const path = new URL(r.url).pathname;
      if (r.method === "POST" && path === "/api/session") {
        signedIn = true;
        return json(200, { user: USER, csrf_token: "tok-1" });
      }
      if (r.method === "GET" && path === "/api/session") {
        return signedIn
          ? json(200, { user: USER, csrf_token: "tok-1" })
          : json(401, problem(401, "Not signed in", "no browser session"));
      }
      if (r.method === "DELETE" && path === "/api/session") {
        signedIn = false;
        return json(204, null);
      }
      return json(404, problem(404, "Not found", "no"));
    });
    const session = createSessionStore({ fetch: api.fetch, baseUrl: BASE });
    await session.getState().signIn("ann@example.com", "a long password");
    expect(session.getState()).toMatchObject({ status: "signed-in", user: USER, csrf: "tok-1" });

    // A reload: a new store knows nothing until it asks the server for the cookie's session.
    const again = createSessionStore({ fetch: api.fetch, baseUrl: BASE });
    expect(again.getState()).toMatchObject({ status: "unknown", csrf: null });
    await again.getState().restore();
    expect(again.getState()).toMatchObject({ status: "signed-in", user: USER, csrf: "tok-1" });
    await again.getState().signOut();
    const out = api.seen.at(-1);
    expect(out?.method).toBe("DELETE");
    expect(out?.headers.get("X-CSRF-Token")).toBe("tok-1");
    expect(again.getState()).toMatchObject({ status: "signed-out", csrf: null });
    // Reads carry no token: it is for changes only.
    expect(api.seen[0]?.headers.get("X-CSRF-Token")).toBeNull();
    const third = createSessionStore({ fetch: api.fetch, baseUrl: BASE });
    await third.getState().restore();
    expect(third.getState()).toMatchObject({ status: "signed-out", user: null, csrf: null });
  });

  it("says plainly why a sign-in failed, with the wait the server gives", async () => {
    const wrong = server(() =>
      json(401, problem(401, "Not signed in", "the email or the password is wrong")),
    );
    const s1 = createSessionStore({ fetch: wrong.fetch, baseUrl: BASE });
    const e1 = await s1.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiError);
    expect(signInMessage(e1)).toBe("The email or the password is wrong.");
    expect(s1.getState().status).toBe("unknown");

    const limited = server(() =>
      json(429, problem(429, "Too many attempts", "too many failed sign-ins; try again in 125 s"), {
        "Retry-After": "125",
      }),
    );
    const s2 = createSessionStore({ fetch: limited.fetch, baseUrl: BASE });
    const e2 = await s2.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(signInMessage(e2)).toBe("Too many failed sign-ins. Try again in 2 min 5 s.");

    const soon = server(() =>
      json(429, problem(429, "Too many attempts", "try again in 1 s"), { "Retry-After": "1" }),
    );
    const e3 = await createSessionStore({ fetch: soon.fetch, baseUrl: BASE })
      .getState()
      .signIn("a@b.c", "x")
      .catch((e: unknown) => e);
    expect(signInMessage(e3)).toBe("Too many failed sign-ins. Try again in 1 second.");
  });

  it("tells a server that does not answer from a refusal", async () => {
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    const s = createSessionStore({ fetch: down, baseUrl: BASE });
    const error = await s.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(signInMessage(error)).toMatch(/did not answer \(Failed to fetch\)/);
  });
});
