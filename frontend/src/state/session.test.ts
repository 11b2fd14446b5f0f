// The session store against answers shaped as the server's (the network is the boundary
// replaced here; the store, the generated client and the problem parsing are the real ones).
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/problem";
import { createSessionStore, type KeyValueStore, signInMessage } from "./session";

const BASE = "http://journeymap.test";
const USER = { id: "u1", email: "ann@example.com", display_name: "Ann", is_admin: false };

function storage(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

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
  it("signs in, keeps the CSRF token for a reload, and sends it with changes", async () => {
    const store = storage();
    const api = server((r) => {
      const path = new URL(r.url).pathname;
      if (r.method === "POST" && path === "/api/session") {
        return json(200, { user: USER, csrf_token: "tok-1" });
      }
      if (r.method === "DELETE" && path === "/api/session") return json(204, null);
      return json(404, problem(404, "Not found", "no"));
    });
    const session = createSessionStore(store, { fetch: api.fetch, baseUrl: BASE });
    await session.getState().signIn("ann@example.com", "a long password");
    expect(session.getState()).toMatchObject({ status: "signed-in", user: USER, csrf: "tok-1" });
    expect(store.data.get("journeymap.csrf")).toBe("tok-1");

    // A reload: a new store starts with the kept token.
    const again = createSessionStore(store, { fetch: api.fetch, baseUrl: BASE });
    expect(again.getState().csrf).toBe("tok-1");
    await again.getState().signOut();
    const out = api.seen.at(-1);
    expect(out?.method).toBe("DELETE");
    expect(out?.headers.get("X-CSRF-Token")).toBe("tok-1");
    expect(again.getState().status).toBe("signed-out");
    expect(store.data.has("journeymap.csrf")).toBe(false);
    // Reads carry no token: it is for changes only.
    expect(api.seen[0]?.headers.get("X-CSRF-Token")).toBeNull();
  });

  it("restores a session the cookie still holds, and forgets one that ended", async () => {
    const good = server(() => json(200, USER));
    const kept = createSessionStore(storage(), { fetch: good.fetch, baseUrl: BASE });
    await kept.getState().restore();
    expect(kept.getState()).toMatchObject({ status: "signed-in", user: USER });

    const store = storage();
    store.setItem("journeymap.csrf", "old");
    const ended = server(() => json(401, problem(401, "Not signed in", "the session has ended")));
    const gone = createSessionStore(store, { fetch: ended.fetch, baseUrl: BASE });
    await gone.getState().restore();
    expect(gone.getState()).toMatchObject({ status: "signed-out", user: null, csrf: null });
    expect(store.data.has("journeymap.csrf")).toBe(false);
  });

  it("says plainly why a sign-in failed, with the wait the server gives", async () => {
    const wrong = server(() =>
      json(401, problem(401, "Not signed in", "the email or the password is wrong")),
    );
    const s1 = createSessionStore(storage(), { fetch: wrong.fetch, baseUrl: BASE });
    const e1 = await s1.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiError);
    expect(signInMessage(e1)).toBe("The email or the password is wrong.");
    expect(s1.getState().status).toBe("unknown");

    const limited = server(() =>
      json(429, problem(429, "Too many attempts", "too many failed sign-ins; try again in 125 s"), {
        "Retry-After": "125",
      }),
    );
    const s2 = createSessionStore(storage(), { fetch: limited.fetch, baseUrl: BASE });
    const e2 = await s2.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(signInMessage(e2)).toBe("Too many failed sign-ins. Try again in 2 min 5 s.");

    const soon = server(() =>
      json(429, problem(429, "Too many attempts", "try again in 1 s"), { "Retry-After": "1" }),
    );
    const e3 = await createSessionStore(storage(), { fetch: soon.fetch, baseUrl: BASE })
      .getState()
      .signIn("a@b.c", "x")
      .catch((e: unknown) => e);
    expect(signInMessage(e3)).toBe("Too many failed sign-ins. Try again in 1 second.");
  });

  it("tells a server that does not answer from a refusal", async () => {
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    const s = createSessionStore(storage(), { fetch: down, baseUrl: BASE });
    const error = await s.getState().signIn("a@b.c", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(signInMessage(error)).toMatch(/did not answer \(Failed to fetch\)/);
  });
});
