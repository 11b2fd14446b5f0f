import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OpsServer } from "../test/opsServer";
import { storeDocument } from "../test/fixtures";
import { applyOp } from "./applyOp";
import { fromDocument, live, toDocument, type EditJourney } from "./model";
import { OpQueue } from "./opQueue";
import type { Op } from "./ops";
import { inverseOf } from "./undo";

const journey = () => fromDocument(storeDocument());

type Doc = Record<string, unknown>;
/** The journey as a reader sees it: cards in order within their cell (the order across cells
 * means nothing), and an absent field the same as null (the server's default for each). */
function same(j: EditJourney): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  const doc = strip(toDocument(j)) as Doc & { cards: Doc[] };
  const cell = (c: Doc) => JSON.stringify([c.stage, c.step ?? null, c.lane]);
  const cells = [...new Set(doc.cards.map(cell))].sort();
  return { ...doc, cards: cells.map((k) => doc.cards.filter((c) => cell(c) === k)) };
}

// One operation of every kind and entity the editor makes, each with what it must undo.
const CASES: [string, Op][] = [
  [
    "add a stage between two",
    {
      kind: "add",
      entity: "stage",
      id: "research",
      value: { name: "Research" },
      after: "awareness",
    },
  ],
  [
    "add a step",
    {
      kind: "add",
      entity: "step",
      id: "pay",
      value: { name: "Pay", stage: "decision" },
      before: "delivery",
    },
  ],
  [
    "add a lane",
    {
      kind: "add",
      entity: "lane",
      id: "ideas",
      value: { name: "Ideas", kind: "opportunities", section: "business" },
    },
  ],
  [
    "add a card",
    {
      kind: "add",
      entity: "card",
      id: "new",
      value: { kind: "note", stage: "awareness", lane: "actions", text: "New" },
      before: "sees-post",
    },
  ],
  [
    "add an emotion point",
    { kind: "add", entity: "emotion", id: "e9", value: { stage: "advocacy", score: 2 } },
  ],
  ["add a persona", { kind: "add", entity: "persona", id: "sam", value: { name: "Sam" } }],
  [
    "set a card's field",
    { kind: "set", entity: "card", id: "fee-late", field: "severity", value: 2 },
  ],
  [
    "set a field that was empty",
    { kind: "set", entity: "card", id: "fee-late", field: "details", value: "at checkout" },
  ],
  ["set an emotion score", { kind: "set", entity: "emotion", id: "e2", field: "score", value: 2 }],
  ["set the journey's owner", { kind: "set", entity: "journey", field: "owner", value: "CX team" }],
  [
    "set a journey field that was empty",
    { kind: "set", entity: "journey", field: "review_by", value: "2027-01-01" },
  ],
  ["rename a stage", { kind: "rename", entity: "stage", id: "decision", name: "Choosing" }],
  ["rename a lane", { kind: "rename", entity: "lane", id: "pains", name: "Pains" }],
  ["rename (retext) a card", { kind: "rename", entity: "card", id: "ad", name: "Instagram ad" }],
  [
    "move a stage to the front",
    { kind: "move", entity: "stage", id: "advocacy", before: "awareness" },
  ],
  [
    "move a stage to the end",
    { kind: "move", entity: "stage", id: "awareness", after: "advocacy" },
  ],
  [
    "move a step within its stage",
    { kind: "move", entity: "step", id: "delivery", before: "cart" },
  ],
  [
    "move a step to another stage (its cards follow)",
    { kind: "move", entity: "step", id: "delivery", stage: "advocacy" },
  ],
  [
    "move a lane to another section",
    { kind: "move", entity: "lane", id: "pains", section: "business" },
  ],
  [
    "move a card to another cell",
    {
      kind: "move",
      entity: "card",
      id: "fee-late",
      stage: "awareness",
      lane: "actions",
      after: "sees-post",
    },
  ],
  [
    "move a card to stage level",
    { kind: "move", entity: "card", id: "cart-page", stage: "decision" },
  ],
  [
    "move a touchpoint (its emotion point follows)",
    { kind: "move", entity: "card", id: "cart-page", step: "delivery" },
  ],
  [
    "move an emotion point",
    { kind: "move", entity: "emotion", id: "e1", stage: "advocacy", before: "e4" },
  ],
  ["delete a card", { kind: "delete", entity: "card", id: "tells" }],
  ["delete a stage", { kind: "delete", entity: "stage", id: "advocacy" }],
  ["delete a section", { kind: "delete", entity: "section", id: "business" }],
];

describe("the inverse of an operation", () => {
  it.each(CASES)("%s: applied after it, gives back the journey", (_, op) => {
    const before = journey();
    const after = applyOp(before, op);
    expect(same(after)).not.toEqual(same(before)); // the case changes something
    const inverse = inverseOf(before, op);
    const back = applyOp(after, inverse);
    expect(same(back)).toEqual(same(before));
    // and the inverse of the inverse (redo) makes the edit again
    expect(same(applyOp(back, inverseOf(after, inverse)))).toEqual(same(after));
  });

  it("of a restore is a delete", () => {
    const deleted = applyOp(journey(), { kind: "delete", entity: "card", id: "ad" });
    const restore: Op = { kind: "restore", entity: "card", id: "ad" };
    expect(inverseOf(deleted, restore)).toEqual({ kind: "delete", entity: "card", id: "ad" });
    const restored = applyOp(deleted, restore);
    expect(same(restored)).toEqual(same(journey()));
  });
});

// ---------------------------------------------------------------- through the queue

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function editor() {
  const server = new OpsServer(journey());
  const queue = new OpQueue({
    journeyId: "online-store",
    rev: 1,
    journey: server.journey,
    send: server.send,
    read: server.read,
    batchWindowMs: 50,
  });
  return { server, queue };
}

describe("undo and redo through the queue", () => {
  it("send inverse operations with new op_ids, and the server ends where the screen is", async () => {
    const { server, queue } = editor();
    const [first] = queue.edit({
      kind: "rename",
      entity: "stage",
      id: "awareness",
      name: "Discover",
    });
    expect(queue.undo()).toBe(true);
    expect(same(queue.journey)).toEqual(same(journey()));
    expect(queue.redo()).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    const sent = server.batches.flatMap((b) => b.ops);
    expect(sent.map((o) => o.op)).toEqual([
      { kind: "rename", entity: "stage", id: "awareness", name: "Discover" },
      { kind: "rename", entity: "stage", id: "awareness", name: "Awareness" },
      { kind: "rename", entity: "stage", id: "awareness", name: "Discover" },
    ]);
    expect(new Set(sent.map((o) => o.op_id)).size).toBe(3);
    expect(sent[0]!.op_id).toBe(first);
    expect(same(server.journey)).toEqual(same(queue.journey));
  });

  it("undo leaves others' edits alone (an inverse, not a snapshot)", async () => {
    const { server, queue } = editor();
    queue.edit({ kind: "set", entity: "card", id: "fee-late", field: "severity", value: 1 });
    await vi.advanceTimersByTimeAsync(50);
    server.external([
      {
        op_id: "theirs",
        op: { kind: "rename", entity: "stage", id: "advocacy", name: "Tell friends" },
      },
    ]);
    queue.edit({ kind: "rename", entity: "lane", id: "pains", name: "Pains" });
    await vi.advanceTimersByTimeAsync(50); // saved, and re-read: theirs is on screen
    queue.undo();
    queue.undo();
    await vi.advanceTimersByTimeAsync(50);
    const doc = same(server.journey) as { stages: { name: string }[] };
    expect(doc.stages.map((s) => s.name)).toContain("Tell friends");
    expect(same(queue.journey)).toEqual(same(server.journey));
  });

  it("a new edit clears redo; nothing to undo says so", () => {
    const { queue } = editor();
    expect(queue.undo()).toBe(false);
    queue.edit({ kind: "rename", entity: "stage", id: "awareness", name: "A" });
    queue.undo();
    queue.edit({ kind: "rename", entity: "stage", id: "decision", name: "B" });
    expect(queue.redo()).toBe(false);
  });

  it("an edit of several operations is undone as one", () => {
    const { queue } = editor();
    queue.edit([
      { kind: "add", entity: "stage", id: "s9", value: { name: "New" } },
      {
        kind: "add",
        entity: "card",
        id: "c9",
        value: { kind: "note", stage: "s9", lane: "actions", text: "x" },
      },
    ]);
    queue.undo();
    expect(same(queue.journey)).toEqual(same(journey()));
  });
});

// A small seeded generator (mulberry32): a failing sequence can be replayed from its seed.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random operation that applies to `j`: every kind, on stages, steps, lanes, cards. */
function randomOp(j: EditJourney, rnd: () => number, n: number): Op {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const maybe = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
  const cards = live(j, "card");
  const stages = live(j, "stage");
  const lanes = live(j, "lane");
  const deletedCards = j.items.card.filter((c) => c.deleted);
  const choice = Math.floor(rnd() * 9);
  const card = maybe(cards); // none left when every card is deleted
  const stage = pick(stages);
  if (choice === 0 || !card) {
    return {
      kind: "add",
      entity: "card",
      id: `r${n}`,
      value: { kind: "note", stage: stage.id, lane: pick(lanes).id, text: `card ${n}` },
    };
  }
  switch (choice) {
    case 1:
      return { kind: "set", entity: "card", id: card.id, field: "details", value: `d${n}` };
    case 2:
      return { kind: "rename", entity: "card", id: card.id, name: `text ${n}` };
    case 3:
      return { kind: "rename", entity: "stage", id: stage.id, name: `stage ${n}` };
    case 4: // to another cell, at its end or beside a card there
      return { kind: "move", entity: "card", id: card.id, stage: stage.id, lane: pick(lanes).id };
    case 5: {
      const others = stages.filter((s) => s.id !== stage.id);
      return others.length
        ? { kind: "move", entity: "stage", id: stage.id, after: pick(others).id }
        : { kind: "set", entity: "journey", field: "owner", value: `o${n}` };
    }
    case 6:
      return { kind: "delete", entity: "card", id: card.id };
    case 7:
      return deletedCards.length
        ? { kind: "restore", entity: "card", id: pick(deletedCards).id }
        : { kind: "set", entity: "journey", field: "title", value: `t${n}` };
    default: {
      const steps = live(j, "step");
      return steps.length
        ? { kind: "move", entity: "step", id: pick(steps).id, stage: stage.id }
        : { kind: "set", entity: "journey", field: "scope", value: `s${n}` };
    }
  }
}

describe("undo n then redo n", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    "gives the same journey (random sequence, seed %i)",
    async (seed) => {
      const { server, queue } = editor();
      const rnd = random(seed);
      const states = [same(queue.journey)];
      for (let i = 0; i < 25; i++) {
        const op = randomOp(queue.journey, rnd, i);
        // sometimes beside a card of the target cell rather than at its end
        if (op.kind === "move" && op.entity === "card" && rnd() < 0.5) {
          const there = live(queue.journey, "card").filter(
            (c) =>
              c.fields.stage === op.stage &&
              c.fields.lane === op.lane &&
              c.fields.step == null &&
              c.id !== op.id,
          );
          if (there.length) op.after = there[0]!.id;
        }
        queue.edit(op);
        states.push(same(queue.journey));
      }
      const n = Math.floor(rnd() * 25) + 1;
      for (let i = 0; i < n; i++) {
        queue.undo();
        expect(same(queue.journey)).toEqual(states[states.length - 2 - i]);
      }
      for (let i = 0; i < n; i++) queue.redo();
      expect(same(queue.journey)).toEqual(states.at(-1));
      await vi.advanceTimersByTimeAsync(50);
      // the server, applying what was sent, agrees
      expect(queue.refused).toEqual([]);
      expect(same(server.journey)).toEqual(states.at(-1));
    },
  );
});
