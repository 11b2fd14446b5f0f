import { describe, expect, it } from "vitest";
import {
  EMPTY_FORM,
  countedSignals,
  evidenceLine,
  definitionOf,
  justFinished,
  optionsOf,
  progressText,
  whereOf,
  type FindingPublic,
  type RefreshPublic,
} from "./rules";

const job = (over: Partial<RefreshPublic>): RefreshPublic => ({
  journey_id: "j",
  state: "running",
  stage: "measuring the map",
  fraction: 0.35,
  message: null,
  started_by: "u",
  started_at: "2026-01-01T00:00:00Z",
  finished_at: null,
  findings: null,
  ...over,
});

describe("definitionOf", () => {
  it("makes an events file source with its columns, blanks left out", () => {
    const got = definitionOf({
      ...EMPTY_FORM,
      path: " demo/events.parquet ",
      channel: " ",
    });
    expect(got).toEqual({
      source: { path: "demo/events.parquet" },
      columns: { customer: "customer_id", timestamp: "ts", event: "event" },
    });
  });
  it("makes a database source from a url and a table", () => {
    const got = definitionOf({
      ...EMPTY_FORM,
      where: "database",
      url: "postgres://a@h/db",
      table: "ev",
    });
    expect((got as unknown as Record<string, unknown>).source).toEqual({
      url: "postgres://a@h/db",
      table: "ev",
    });
  });
  it("makes a feedback source, placed by a column or by the last event", () => {
    const got = definitionOf({
      ...EMPTY_FORM,
      kind: "feedback",
      path: "s.csv",
      timestamp: "at",
    });
    expect(got).toMatchObject({
      feedback: { path: "s.csv" },
      columns: { timestamp: "at", score: "score", text: "comment" },
      scale: "csat",
      place: { by: "touchpoint", column: "touchpoint" },
    });
    const last = definitionOf({
      ...EMPTY_FORM,
      kind: "feedback",
      placeBy: "last_event",
    });
    expect((last as unknown as Record<string, unknown>).place).toEqual({
      by: "last_event",
    });
  });
});

describe("options and words", () => {
  it("leaves blanks to the server", () => {
    expect(optionsOf({ windowDays: "", minCount: "", splitBy: " " })).toEqual({
      window_days: null,
      min_count: 10,
      split_by: null,
      periods: null,
    });
    expect(
      optionsOf({ windowDays: "14", minCount: "5", splitBy: "persona" }),
    ).toMatchObject({
      window_days: 14,
      min_count: 5,
      split_by: "persona",
    });
  });
  it("compares two periods only when all four dates are given", () => {
    const base = { windowDays: "", minCount: "10", splitBy: "" };
    const dates: [string, string, string, string] = [
      "2026-01-01",
      "2026-02-01",
      "2026-02-01",
      "2026-03-01",
    ];
    expect(optionsOf({ ...base, periods: dates }).periods).toEqual([
      ["2026-01-01", "2026-02-01"],
      ["2026-02-01", "2026-03-01"],
    ]);
    expect(
      optionsOf({ ...base, periods: ["2026-01-01", "", "", ""] }).periods,
    ).toBeNull();
  });
  it("says the stage and how far, and how it ended", () => {
    expect(progressText(job({}))).toBe("Refreshing: measuring the map (35%)");
    expect(
      progressText(job({ state: "done", findings: 1, fraction: 1 })),
    ).toContain("1 pain point");
    expect(progressText(job({ state: "cancelled" }))).toContain(
      "nothing was changed",
    );
  });
  it("reads the evidence again only when a running refresh ends well", () => {
    expect(justFinished(job({}), job({ state: "done" }))).toBe(true);
    expect(justFinished(null, job({ state: "done" }))).toBe(false);
    expect(justFinished(job({}), job({ state: "failed" }))).toBe(false);
  });
  it("names where a source reads", () => {
    const file = {
      name: "a",
      kind: "events",
      definition: { source: { path: "x.csv" } },
    };
    expect(whereOf(file as never)).toBe("x.csv");
    const db = {
      name: "b",
      kind: "events",
      definition: { source: { url: "pg://h/d", table: "t" } },
    };
    expect(whereOf(db as never)).toBe("pg://h/d · t");
  });
  it("keeps the signals that count, strongest first", () => {
    const s = (name: string, counts: boolean, excess: number) => ({
      name,
      counts,
      excess,
    });
    const finding = {
      signals: [s("a", true, 1), s("b", false, 9), s("c", true, 5)],
    };
    expect(
      countedSignals(finding as unknown as FindingPublic).map((x) => x.name),
    ).toEqual(["c", "a"]);
  });
});

describe("evidenceLine", () => {
  it("gives the figures behind a signal", () => {
    const s = {
      name: "left here",
      count: 15,
      n: 92,
      rate: 0.163,
      baseline: 0.015,
      p_value: 0.00012,
      excess: 1,
      counts: true,
      detail: "",
    };
    expect(evidenceLine(s)).toBe(
      "left here: 15 of 92 (16.3% against 1.5% elsewhere), p = 0.00012",
    );
    expect(evidenceLine({ ...s, rate: null, p_value: null })).toBe(
      "left here: 15 of 92",
    );
  });
});
