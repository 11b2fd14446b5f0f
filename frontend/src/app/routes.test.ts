import { describe, expect, it } from "vitest";
import { parseRoute, paths } from "./routes";

describe("routes", () => {
  it("reads each page's address", () => {
    expect(parseRoute("/")).toEqual({ page: "home" });
    expect(parseRoute("/w/demo")).toEqual({ page: "library", workspaceId: "demo" });
    expect(parseRoute("/j/online%20store")).toEqual({ page: "journey", journeyId: "online store" });
    expect(parseRoute("/shared/jm_abc")).toEqual({ page: "shared", token: "jm_abc" });
    expect(parseRoute("/setup")).toEqual({ page: "setup" });
    expect(parseRoute("/j/a/b")).toEqual({ page: "not-found", path: "/j/a/b" });
    expect(parseRoute("/j/a/history")).toEqual({ page: "history", journeyId: "a" });
    expect(parseRoute("/j/a/compare")).toEqual({ page: "compare", journeyId: "a", otherId: null });
    expect(parseRoute("/j/a/compare/b")).toEqual({ page: "compare", journeyId: "a", otherId: "b" });
    expect(parseRoute("/j/a/compare/b/c").page).toBe("not-found");
    expect(parseRoute("/j/%E0%A4%A")).toEqual({ page: "not-found", path: "/j/%E0%A4%A" });
  });

  it("reads presenting, shared presenting and mentions", () => {
    expect(parseRoute("/j/a%20b/present")).toEqual({ page: "present", journeyId: "a b" });
    expect(parseRoute("/shared/jm_x/present")).toEqual({ page: "shared-present", token: "jm_x" });
    expect(parseRoute("/mentions")).toEqual({ page: "mentions" });
    expect(parseRoute("/j/a/show")).toEqual({ page: "not-found", path: "/j/a/show" });
    expect(parseRoute(paths.present("x/y"))).toEqual({ page: "present", journeyId: "x/y" });
    expect(paths.thread("j1", "card", "c 1")).toBe("/j/j1?thread=card%3Ac%201");
  });

  it("goes back after signing in only to a page of this app", () => {
    expect(parseRoute("/sign-in", "?next=%2Fj%2Fx")).toEqual({ page: "sign-in", next: "/j/x" });
    expect(parseRoute("/sign-in", "?next=https://evil.example")).toEqual({ page: "sign-in", next: null });
    expect(parseRoute("/sign-in", "?next=//evil.example")).toEqual({ page: "sign-in", next: null });
  });

  it("writes addresses the parser reads back", () => {
    expect(parseRoute(paths.journey("a b/c"))).toEqual({ page: "journey", journeyId: "a b/c" });
    expect(paths.signIn("/w/x")).toBe("/sign-in?next=%2Fw%2Fx");
    expect(parseRoute(paths.history("a b"))).toEqual({ page: "history", journeyId: "a b" });
    expect(parseRoute(paths.compare("a", "b/c"))).toEqual({ page: "compare", journeyId: "a", otherId: "b/c" });
  });
});
