import { beforeEach, describe, expect, it } from "vitest";
import { makeClient } from "../api/client";
import { EV } from "./fixture.test-data";
import { useMeasure } from "./store";

function api(answers: Record<string, () => Response>) {
  const fetch = (input: Request) => {
    const id = /journeys\/([^/]+)\/evidence/.exec(input.url)?.[1] ?? "";
    return Promise.resolve((answers[id] ?? (() => Response.json({}, { status: 500 })))());
  };
  return makeClient({ fetch: fetch as typeof globalThis.fetch, baseUrl: "http://x" });
}

const found = (data: unknown, stale: unknown = null) => () =>
  Response.json({ data, etag: "t1", updated_at: "2026-12-07T10:00:00Z", updated_by: null, stale });
const none = () =>
  Response.json({ status: 404, title: "No evidence yet", detail: "measure the journey" }, { status: 404 });

describe("the measured store", () => {
  beforeEach(() => useMeasure.getState().reset());

  it("reads the journey's evidence, with what went stale", async () => {
    const stale = { touchpoints: ["page"], stages: [], order: false, funnel: false, words: "x" };
    await useMeasure.getState().load(api({ j1: found(EV, stale) }), "j1");
    const s = useMeasure.getState();
    expect(s.status).toBe("ok");
    expect(s.evidence?.journey).toBe("store");
    expect(s.answer?.stale).toEqual(stale);
  });

  it("says a journey never measured (404) has no figures", async () => {
    await useMeasure.getState().load(api({ j1: none }), "j1");
    expect(useMeasure.getState()).toMatchObject({ status: "none", evidence: null, error: null });
  });

  it("keeps the figures shown when a re-read fails, and says why", async () => {
    await useMeasure.getState().load(api({ j1: found(EV) }), "j1");
    await useMeasure.getState().load(api({}), "j1");
    const s = useMeasure.getState();
    expect(s.status).toBe("ok");
    expect(s.evidence).not.toBeNull();
    expect(s.error).toBeTruthy();
  });

  it("refuses a format it cannot draw", async () => {
    await useMeasure.getState().load(api({ j1: found({ items: [] }) }), "j1");
    expect(useMeasure.getState().status).toBe("unreadable");
  });

  it("keeps a lens the new evidence has, and drops one it lacks", async () => {
    const m = useMeasure.getState();
    await m.load(api({ j1: found(EV) }), "j1");
    useMeasure.getState().setLens({ kind: "split", group: "family-shopper" });
    await useMeasure.getState().load(api({ j1: found(EV) }), "j1");
    expect(useMeasure.getState().lens).toEqual({ kind: "split", group: "family-shopper" });
    await useMeasure.getState().load(api({ j1: found({ ...EV, split: null }) }), "j1");
    expect(useMeasure.getState().lens).toEqual({ kind: "all" });
  });

  it("forgets one journey's figures when another opens", async () => {
    await useMeasure.getState().load(api({ j1: found(EV) }), "j1");
    const other = useMeasure.getState().load(api({ j2: none }), "j2");
    expect(useMeasure.getState()).toMatchObject({ journeyId: "j2", status: "loading", evidence: null });
    await other;
    expect(useMeasure.getState().status).toBe("none");
  });

  it("drops an answer that comes after a newer request", async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const fetch = async (input: Request) => {
      if (input.url.includes("/j1/")) {
        await slow;
        return found(EV)();
      }
      return none();
    };
    const client = makeClient({ fetch: fetch as typeof globalThis.fetch, baseUrl: "http://x" });
    const first = useMeasure.getState().load(client, "j1");
    await useMeasure.getState().load(client, "j2");
    release();
    await first;
    expect(useMeasure.getState()).toMatchObject({ journeyId: "j2", status: "none", evidence: null });
  });
});
