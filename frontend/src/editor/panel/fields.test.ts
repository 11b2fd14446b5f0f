import { describe, expect, it } from "vitest";
import { type Card, readJourney } from "../../api/journey";
import { storeDocument } from "../../test/fixtures";
import {
  BUILTIN_CHANNELS,
  channelMode,
  channelId,
  channelInUse,
  channelOptions,
  painPointChoices,
} from "./choices";
import {
  JOURNEY_FIELDS,
  PERSONA_FIELDS,
  cardFields,
  changeOf,
  fieldText,
  modeChange,
  newPersona,
  painPointsChange,
  parseField,
  rowsFor,
  sameValue,
  stateChange,
  type FieldSpec,
} from "./fields";

const doc = readJourney(storeDocument());
const spec = (kind: Card["kind"], field: string): FieldSpec =>
  cardFields(kind).find((f) => f.field === field)!;

describe("which fields each card kind has", () => {
  it("gives every kind its text, details, confidence, tags and evidence", () => {
    for (const kind of ["note", "touchpoint", "pain_point", "opportunity", "quote", "metric"] as const) {
      const names = cardFields(kind).map((f) => f.field);
      expect(names.slice(0, 2)).toEqual(["text", "details"]);
      expect(names.slice(-3)).toEqual(["confidence", "tags", "evidence"]);
    }
  });

  it("gives each kind its own fields, named as the server's `set` names them", () => {
    const own = (kind: Card["kind"]) => cardFields(kind).map((f) => f.field).slice(2, -3);
    expect(own("note")).toEqual([]);
    expect(own("touchpoint")).toEqual(["channel", "mode", "team", "events", "service_contact"]);
    expect(own("pain_point")).toEqual(["severity", "frequency"]);
    expect(own("opportunity")).toEqual([
      "owner",
      "status",
      "value",
      "effort",
      "pain_points",
      "impact",
    ]);
    expect(own("quote")).toEqual(["source", "date", "about", "image"]);
    expect(own("metric")).toEqual(["value", "unit", "target"]);
  });

  it("labels every field, once per panel", () => {
    for (const list of [cardFields("opportunity"), JOURNEY_FIELDS, PERSONA_FIELDS]) {
      const labels = list.map((f) => f.label);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.every((l) => l.length > 0)).toBe(true);
    }
    expect(JOURNEY_FIELDS.map((f) => f.field)).toEqual(
      expect.arrayContaining(["title", "owner", "status", "state", "review_by"]),
    );
  });
});

describe("a control's text and the field's value", () => {
  it("shows lists, event names and absent values as text", () => {
    expect(fieldText(spec("note", "tags"), ["a", "b"])).toBe("a, b");
    expect(fieldText(spec("note", "evidence"), ["x", "y"])).toBe("x\ny");
    expect(fieldText(spec("touchpoint", "events"), { names: ["view", "buy"] })).toBe("view, buy");
    expect(fieldText(spec("note", "details"), undefined)).toBe("");
    expect(fieldText(spec("pain_point", "severity"), 4)).toBe("4");
  });

  it("trims text, and an empty optional text is null; required text cannot be empty", () => {
    expect(parseField(spec("note", "details"), "  more  ")).toEqual({ ok: true, value: "more" });
    expect(parseField(spec("note", "details"), "   ")).toEqual({ ok: true, value: null });
    const empty = parseField(spec("note", "text"), " ");
    expect(empty.ok).toBe(false);
  });

  it("reads ratings from 1 to 5 and refuses others before sending", () => {
    expect(parseField(spec("pain_point", "severity"), "5")).toEqual({ ok: true, value: 5 });
    expect(parseField(spec("pain_point", "severity"), "7").ok).toBe(false);
    expect(parseField(spec("pain_point", "severity"), "").ok).toBe(false);
    expect(parseField(spec("opportunity", "value"), "")).toEqual({ ok: true, value: null });
    expect(parseField(spec("opportunity", "effort"), "2")).toEqual({ ok: true, value: 2 });
  });

  it("reads numbers, empty as none, and says what is wrong with words", () => {
    expect(parseField(spec("metric", "value"), "12.5")).toEqual({ ok: true, value: 12.5 });
    expect(parseField(spec("metric", "target"), "1 000")).toEqual({ ok: true, value: 1000 });
    expect(parseField(spec("metric", "value"), "")).toEqual({ ok: true, value: null });
    const words = parseField(spec("metric", "value"), "lots");
    expect(words.ok ? "" : words.error).toMatch(/not a number/);
  });

  it("reads dates as YYYY-MM-DD", () => {
    expect(parseField(spec("quote", "date"), "2026-03-01")).toEqual({ ok: true, value: "2026-03-01" });
    expect(parseField(spec("quote", "date"), "")).toEqual({ ok: true, value: null });
    expect(parseField(spec("quote", "date"), "March").ok).toBe(false);
  });

  it("reads comma lists and line lists without blanks or repeats", () => {
    expect(parseField(spec("note", "tags"), "fees, , checkout,fees")).toEqual({
      ok: true,
      value: ["fees", "checkout"],
    });
    expect(parseField(spec("note", "evidence"), "a\n\n b \r\nc")).toEqual({
      ok: true,
      value: ["a", "b", "c"],
    });
  });

  it("only takes a choice among the options", () => {
    expect(parseField(spec("pain_point", "frequency"), "rare")).toEqual({ ok: true, value: "rare" });
    expect(parseField(spec("pain_point", "frequency"), "")).toEqual({ ok: true, value: null });
    expect(parseField(spec("pain_point", "frequency"), "daily").ok).toBe(false);
    expect(parseField(spec("note", "confidence"), "observed")).toEqual({
      ok: true,
      value: "observed",
    });
  });

  it("keeps an event binding's patterns and other parts when its names change", () => {
    const events = spec("touchpoint", "events");
    const was = { names: ["a"], patterns: ["view_*"], first_only: true };
    expect(parseField(events, "b, c", was)).toEqual({
      ok: true,
      value: { names: ["b", "c"], patterns: ["view_*"], first_only: true },
    });
    expect(parseField(events, "", { names: ["a"] })).toEqual({ ok: true, value: null });
    expect(parseField(events, "", was)).toEqual({ ok: true, value: { ...was, names: [] } });
    expect(parseField(events, "checkout_view", undefined)).toEqual({
      ok: true,
      value: { names: ["checkout_view"] },
    });
  });
});

describe("the one operation a change sends", () => {
  it("is a set of the field, or nothing when the value is the same", () => {
    expect(changeOf("card", "fee", spec("pain_point", "severity"), "5", 3)).toEqual({
      op: { kind: "set", entity: "card", id: "fee", field: "severity", value: 5 },
    });
    expect(changeOf("card", "fee", spec("pain_point", "severity"), "3", 3)).toBeNull();
    expect(changeOf("card", "fee", spec("note", "details"), "", undefined)).toBeNull();
    expect(changeOf("card", "fee", spec("note", "tags"), "a, b", ["a", "b"])).toBeNull();
  });

  it("says what is wrong instead of sending", () => {
    const change = changeOf("card", "m", spec("metric", "value"), "ten", 3);
    expect(change && "error" in change ? change.error : "").toMatch(/not a number/);
  });

  it("sets the journey's own fields without an id", () => {
    const title = JOURNEY_FIELDS.find((f) => f.field === "title")!;
    expect(changeOf("journey", null, title, "Checkout", "Old")).toEqual({
      op: { kind: "set", entity: "journey", field: "title", value: "Checkout" },
    });
  });

  it("sets a persona's lists from one line per item", () => {
    const goals = PERSONA_FIELDS.find((f) => f.field === "goals")!;
    expect(changeOf("persona", "alex", goals, "Pay less\nBuy fast\n", ["Pay less"])).toEqual({
      op: { kind: "set", entity: "persona", id: "alex", field: "goals", value: ["Pay less", "Buy fast"] },
    });
  });

  it("links and unlinks an opportunity's pain points with its whole new list", () => {
    const card = { id: "opp", pain_points: ["a"] };
    expect(painPointsChange(card, "b", true)).toEqual({
      op: { kind: "set", entity: "card", id: "opp", field: "pain_points", value: ["a", "b"] },
    });
    expect(painPointsChange(card, "a", false)).toEqual({
      op: { kind: "set", entity: "card", id: "opp", field: "pain_points", value: [] },
    });
    expect(painPointsChange(card, "a", true)).toBeNull();
    expect(painPointsChange({ id: "opp" }, "a", true)).toEqual({
      op: { kind: "set", entity: "card", id: "opp", field: "pain_points", value: ["a"] },
    });
  });

  it("stores a touchpoint's mode only where it differs from its channel's", () => {
    const web = { id: "t", channel: "web", mode: null };
    expect(modeChange(web, doc, "physical")).toEqual({
      op: { kind: "set", entity: "card", id: "t", field: "mode", value: "physical" },
    });
    expect(modeChange(web, doc, "digital")).toBeNull();
    expect(modeChange({ ...web, mode: "physical" }, doc, "digital")).toEqual({
      op: { kind: "set", entity: "card", id: "t", field: "mode", value: null },
    });
    expect(modeChange({ id: "s", channel: "store" }, doc, "physical")).toBeNull();
  });

  it("changes the state with the current map it improves, as the server wants both", () => {
    const current = { state: "current" as const, current_journey: null };
    expect(stateChange(current, "current", null)).toBeNull();
    expect(stateChange(current, "future", null)).toHaveProperty("error");
    expect(stateChange(current, "future", "j-now")).toEqual({
      op: [
        { kind: "set", entity: "journey", field: "current_journey", value: "j-now" },
        { kind: "set", entity: "journey", field: "state", value: "future" },
      ],
    });
    const future = { state: "future" as const, current_journey: "j-now" };
    expect(stateChange(future, "current", null)).toEqual({
      op: [
        { kind: "set", entity: "journey", field: "state", value: "current" },
        { kind: "set", entity: "journey", field: "current_journey", value: null },
      ],
    });
    expect(stateChange(future, "future", "j-now")).toBeNull();
  });
});

describe("the choices the map gives", () => {
  it("offers no channel, the journey's own channels and the built-in ones", () => {
    const own = { channels: [{ id: "kiosk", name: "Kiosk", mode: "physical" }] } as never;
    const groups = channelOptions(own, "web", true);
    expect(groups.map((g) => g.label)).toEqual([null, "This journey's channels", "Built-in channels"]);
    expect(groups[0]!.options).toEqual([{ value: "", label: "No channel" }]);
    expect(groups[1]!.options).toEqual([{ value: "kiosk", label: "Kiosk" }]);
    // Without events a touchpoint must keep a channel: "No channel" is not offered.
    expect(channelOptions(own, "web").map((g) => g.label)).toEqual([
      "This journey's channels",
      "Built-in channels",
    ]);
    expect(groups[2]!.options).toHaveLength(BUILTIN_CHANNELS.length);
    expect(channelMode(own, "kiosk")).toBe("physical");
    expect(channelMode(own, "web")).toBe("digital");
    expect(channelMode(own, "phone")).toBe("physical");
  });

  it("keeps a channel no list names, so opening the panel changes nothing", () => {
    const groups = channelOptions(doc, "carrier-pigeon", true);
    expect(groups[0]!.options.map((o) => o.value)).toEqual(["", "carrier-pigeon"]);
  });

  it("lists the journey's pain points for an opportunity", () => {
    const pains = painPointChoices(doc);
    expect(pains.length).toBeGreaterThan(0);
    const ids = new Set(doc.cards.filter((c) => c.kind === "pain_point").map((c) => c.id));
    expect(pains.every((p) => ids.has(p.value))).toBe(true);
  });

  it("compares values as stored: absent is null, key order does not matter", () => {
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue({ a: 1, b: null }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1, c: 2 }, { c: 2, a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});

describe("a new channel's id", () => {
  it("is its name as a slug with a random part, within the server's id rule", () => {
    expect(channelId("In-store Kiosk!", "abcdef-123")).toBe("in-store-kiosk-abcdef");
    expect(channelId("Café", "0123456789")).toBe("cafe-012345");
    expect(channelId("???", "0123456789")).toBe("channel-012345");
    expect(channelId("x".repeat(100))).toMatch(/^x{40}-[0-9a-f]{6}$/);
  });
});

describe("a text area's height", () => {
  it("grows with its lines and their length, within bounds", () => {
    expect(rowsFor("", 2)).toBe(2);
    expect(rowsFor("a\nb\nc\nd", 2)).toBe(4);
    expect(rowsFor("x".repeat(80), 2)).toBe(3);
    expect(rowsFor("a\n".repeat(20), 3)).toBe(8);
  });
});

describe("deleting a channel", () => {
  it("is refused here while touchpoints use it, saying how many", () => {
    const cards = [
      { id: "a", kind: "touchpoint", channel: "kiosk" },
      { id: "b", kind: "touchpoint", channel: "kiosk" },
      { id: "c", kind: "note" },
    ] as never;
    expect(channelInUse({ cards }, "kiosk")).toMatch(/^2 touchpoints use this channel/);
    expect(channelInUse({ cards }, "web")).toBeNull();
  });
});

describe("a new persona", () => {
  it("has its lists, empty, so the map draws it before the server answers", () => {
    expect(newPersona("Sam")).toEqual({
      name: "Sam",
      goals: [],
      needs: [],
      frustrations: [],
      behaviours: [],
      data_sources: [],
    });
  });
});
