import { describe, expect, it } from "vitest";
import { makeClient } from "../api/client";
import { libraryQuery, NO_FILTERS, PAGE, useLibrary } from "./library";

describe("the library's query", () => {
  it("sends only the filters that are set", () => {
    expect(libraryQuery(NO_FILTERS, 0)).toEqual({ sort: "updated", offset: 0, limit: PAGE });
    expect(
      libraryQuery(
        { ...NO_FILTERS, q: "  shipping fee ", status: "live", stage: "Decision", sort: "title" },
        50,
      ),
    ).toEqual({ q: "shipping fee", status: "live", stage: "Decision", sort: "title", offset: 50, limit: PAGE });
  });

  it("shows the answer to the newest search, not a slower older one", async () => {
    const slow: Record<string, number> = { a: 30, ab: 1 };
    const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = input instanceof Request ? input : new Request(input, init);
      const q = new URL(request.url).searchParams.get("q") ?? "";
      await new Promise((r) => setTimeout(r, slow[q] ?? 0));
      const items = [{ id: q, workspace_id: "w", slug: q, title: q, status: "draft", state: "current", owner: null, rev: 1, updated_at: "2026-01-01T00:00:00Z" }];
      return new Response(JSON.stringify({ items, total: 1, offset: 0, limit: PAGE }), {
        headers: { "Content-Type": "application/json" },
      });
    };
    const api = makeClient({ fetch: fake, baseUrl: "http://test" });
    await useLibrary.getState().open(api, "w");
    const first = useLibrary.getState().setFilters(api, { q: "a" });
    const second = useLibrary.getState().setFilters(api, { q: "ab" });
    await Promise.all([first, second]);
    expect(useLibrary.getState().items.map((i) => i.id)).toEqual(["ab"]);
    expect(useLibrary.getState().loading).toBe(false);
  });
});
