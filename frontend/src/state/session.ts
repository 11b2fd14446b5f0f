// Who is signed in. The session cookie is HttpOnly (the page never sees it); on start the app
// asks the server for the cookie's session (`GET /api/session`), which answers the user and the
// session's CSRF token, so a reload or a second tab keeps working without the token being
// stored anywhere in the page.
import { create } from "zustand";
import { type Api, makeClient, must } from "../api/client";
import { ApiError } from "../api/problem";
import type { components } from "../api/schema";

export type User = components["schemas"]["UserPublic"];
export type Status = "unknown" | "signed-out" | "signed-in";

export interface SessionState {
  status: Status;
  user: User | null;
  csrf: string | null;
  api: Api;
  /** On start: the cookie's session, if it is still good. */
  restore: () => Promise<void>;
  /** Sign in; an ApiError (401 wrong password, 429 too many attempts) is thrown as is. */
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The server said the session has ended (a 401 elsewhere). */
  ended: () => void;
}

export function createSessionStore(
  options: { fetch?: typeof globalThis.fetch; baseUrl?: string } = {},
) {
  return create<SessionState>()((set, get) => {
    const api = makeClient({ ...options, csrf: () => get().csrf });
    const forget = (): void => set({ status: "signed-out", user: null, csrf: null });
    return {
      status: "unknown",
      user: null,
      csrf: null,
      api,
      restore: async () => {
        try {
          const session = await must(api.GET("/api/session"));
          set({ status: "signed-in", user: session.user, csrf: session.csrf_token });
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) forget();
          else throw error;
        }
      },
      signIn: async (email, password) => {
        const session = await must(api.POST("/api/session", { body: { email, password } }));
        set({ status: "signed-in", user: session.user, csrf: session.csrf_token });
      },
      signOut: async () => {
        try {
          await must(api.DELETE("/api/session"));
        } catch (error) {
          // Already ended on the server: signed out all the same.
          if (!(error instanceof ApiError && error.status === 401)) throw error;
        }
        forget();
      },
      ended: forget,
    };
  });
}

export const useSession = createSessionStore();

/** What a failed sign-in means, in plain words: the server's own, with the wait it gives. */
export function signInMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const { status, detail, retryAfter } = error.problem;
  if (status === 401) return "The email or the password is wrong.";
  if (status === 429) {
    const wait = retryAfter ?? 60;
    const minutes = Math.floor(wait / 60);
    const seconds = wait % 60;
    const words =
      minutes > 0
        ? `${minutes} min${seconds ? ` ${seconds} s` : ""}`
        : `${seconds} second${seconds === 1 ? "" : "s"}`;
    return `Too many failed sign-ins. Try again in ${words}.`;
  }
  return detail;
}
