import { describe, expect, it } from "vitest";
import { type Member, memberActions, onTheMap, passwordProblem, personaTitle, sortedTokens, type Token } from "./rules";

const m = (user_id: string, role: Member["role"]): Member => ({
  user_id,
  role,
  email: `${user_id}@example.com`,
  display_name: user_id,
});

describe("members", () => {
  const team = [m("ann", "owner"), m("bo", "editor"), m("cy", "viewer")];

  it("owners change roles and remove; anyone leaves", () => {
    expect(memberActions("ann", "owner", team[1]!, team)).toEqual({ changeRole: true, remove: "remove", lastOwner: false });
    expect(memberActions("bo", "editor", team[2]!, team)).toEqual({ changeRole: false, remove: null, lastOwner: false });
    expect(memberActions("cy", "viewer", team[2]!, team).remove).toBe("leave");
  });

  it("keeps a last owner", () => {
    expect(memberActions("ann", "owner", team[0]!, team)).toEqual({ changeRole: true, remove: null, lastOwner: true });
    const two = [...team, m("di", "owner")];
    expect(memberActions("ann", "owner", two[0]!, two).remove).toBe("leave");
  });
});

describe("account", () => {
  it("checks that the two new passwords agree", () => {
    expect(passwordProblem("", "")).toMatch(/Type/);
    expect(passwordProblem("a long one", "a long on")).toMatch(/not the same/);
    expect(passwordProblem("a long one", "a long one")).toBeNull();
  });

  it("lists live tokens first, newest first", () => {
    const t = (id: string, created_at: string, revoked_at: string | null = null): Token => ({
      id,
      name: id,
      prefix: "jm_x",
      created_at,
      last_used_at: null,
      revoked_at,
    });
    const sorted = sortedTokens([t("old", "2026-01-01"), t("gone", "2026-03-01", "2026-03-02"), t("new", "2026-02-01")]);
    expect(sorted.map((x) => x.id)).toEqual(["new", "old", "gone"]);
  });
});

describe("persona library", () => {
  it("names a library persona and finds those on the map", () => {
    expect(personaTitle("alex", { name: "Alex", segment: "Young professional" })).toEqual({
      name: "Alex",
      line: "Young professional",
    });
    expect(personaTitle("x", {})).toEqual({ name: "x", line: "" });
    expect([...onTheMap(["alex", "sam"], ["sam", "own"])]).toEqual(["sam"]);
  });
});

describe("a library persona added to a map", () => {
  it("has every list a persona has, and no id in its value", async () => {
    const { addedValue } = await import("./personaLibrary");
    const value = addedValue({
      id: "rita",
      value: { id: "rita", name: "Rita", goals: ["File"] },
      created_at: "",
      updated_at: "",
      etag: "",
      used_in: [],
    });
    expect(value).toEqual({
      name: "Rita",
      goals: ["File"],
      needs: [],
      frustrations: [],
      behaviours: [],
      data_sources: [],
    });
  });
});
