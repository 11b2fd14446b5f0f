import { describe, expect, it } from "vitest";
import { parseRoute, paths } from "./routes";

describe("the team's pages", () => {
  it("reads and writes their addresses", () => {
    expect(parseRoute("/account")).toEqual({ page: "account" });
    expect(parseRoute(paths.members("a b"))).toEqual({ page: "members", workspaceId: "a b" });
    expect(parseRoute(paths.personas("w1"))).toEqual({ page: "personas", workspaceId: "w1" });
    expect(parseRoute("/w/x/other")).toEqual({ page: "not-found", path: "/w/x/other" });
    expect(parseRoute("/account/x")).toEqual({ page: "not-found", path: "/account/x" });
  });
});
