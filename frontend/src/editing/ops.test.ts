import { describe, expect, it } from "vitest";
import { newEntityId, newOpId, targetKey, targetOf } from "./ops";

// The server's rule for ids (src/journeymap/domain/ids.py, ID_PATTERN).
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

describe("ids and targets", () => {
  it("make fresh op_ids and entity ids the server accepts", () => {
    const ids = new Set(Array.from({ length: 100 }, () => newOpId()));
    expect(ids.size).toBe(100);
    for (const kind of ["card", "stage", "emotion"] as const)
      expect(newEntityId(kind)).toMatch(ID_PATTERN);
    expect(newEntityId("card")).not.toBe(newEntityId("card"));
  });

  it("name the field an operation concerns, so a refusal is shown beside it", () => {
    expect(targetOf({ kind: "rename", entity: "card", id: "c", name: "x" })).toEqual({
      entity: "card",
      id: "c",
      field: "text",
    });
    expect(targetOf({ kind: "rename", entity: "lane", id: "l", name: "x" }).field).toBe("name");
    expect(targetOf({ kind: "set", entity: "journey", field: "owner", value: "x" })).toEqual({
      entity: "journey",
      id: null,
      field: "owner",
    });
    expect(targetKey(targetOf({ kind: "move", entity: "card", id: "c", after: "d" }))).toBe(
      "card:c:",
    );
  });
});
