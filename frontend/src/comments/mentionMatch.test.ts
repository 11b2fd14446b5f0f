import { describe, expect, it } from "vitest";
import {
  insertMention,
  matchMembers,
  mentionLabel,
  moveActive,
  typingAt,
} from "./mentionMatch";

const ann = { user_id: "u1", email: "ann@example.com", display_name: "Ann" };
const lee = {
  user_id: "u2",
  email: "lee@example.com",
  display_name: "Ann Lee",
};
const bo = { user_id: "u3", email: "bo@example.com", display_name: "Bo" };
const bo2 = { user_id: "u4", email: "bo.two@example.com", display_name: "bo" };
const members = [ann, lee, bo];

describe("typingAt", () => {
  it("finds the @ being typed", () => {
    expect(typingAt("hi @an", 6)).toEqual({ at: 3, query: "an" });
    expect(typingAt("@", 1)).toEqual({ at: 0, query: "" });
    expect(typingAt("(@Ann L", 7)).toEqual({ at: 1, query: "Ann L" });
  });
  it("ignores an email's @, a line break, a second @ and a space first", () => {
    expect(typingAt("mail ann@ex", 11)).toBeNull();
    expect(typingAt("@ann\nthen", 9)).toBeNull();
    expect(typingAt("@ ann", 5)).toBeNull();
    expect(typingAt("no at here", 5)).toBeNull();
  });
  it("reads only up to the caret", () => {
    expect(typingAt("@bo and more", 3)).toEqual({ at: 0, query: "bo" });
  });
});

describe("matchMembers", () => {
  it("ranks a name's start, then a word of it, then the email", () => {
    expect(matchMembers(members, "ann").map((m) => m.user_id)).toEqual([
      "u1",
      "u2",
    ]);
    expect(matchMembers(members, "lee").map((m) => m.user_id)).toEqual(["u2"]);
    expect(matchMembers(members, "bo@").map((m) => m.user_id)).toEqual(["u3"]);
    expect(matchMembers(members, "EXAMPLE").length).toBe(3);
    expect(matchMembers(members, "zed")).toEqual([]);
  });
  it("lists everyone, by name, for a bare @, up to the limit", () => {
    expect(matchMembers(members, "").map((m) => m.display_name)).toEqual([
      "Ann",
      "Ann Lee",
      "Bo",
    ]);
    expect(matchMembers(members, "", 2)).toHaveLength(2);
  });
});

describe("insertMention", () => {
  it("puts the name in place of what was typed, with a space", () => {
    const text = "hi @an please";
    expect(
      insertMention(text, { at: 3, query: "an" }, 6, lee, members),
    ).toEqual({
      text: "hi @Ann Lee please",
      caret: 12,
    });
    expect(insertMention("@b", { at: 0, query: "b" }, 2, bo, members)).toEqual({
      text: "@Bo ",
      caret: 4,
    });
  });
  it("writes the email where two members share a name", () => {
    expect(mentionLabel(bo, [...members, bo2])).toBe("bo@example.com");
    expect(mentionLabel(ann, [...members, bo2])).toBe("Ann");
  });
});

describe("moveActive", () => {
  it("wraps around", () => {
    expect(moveActive(-1, 3, "ArrowDown")).toBe(0);
    expect(moveActive(2, 3, "ArrowDown")).toBe(0);
    expect(moveActive(0, 3, "ArrowUp")).toBe(2);
    expect(moveActive(-1, 0, "ArrowDown")).toBe(-1);
  });
});
