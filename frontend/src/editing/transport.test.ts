import { describe, expect, it } from "vitest";
import { makeClient } from "../api/client";
import { apiTransport } from "./transport";

const batch = {
  base_rev: 3,
  ops: [{ op_id: "a1", op: { kind: "delete" as const, entity: "card" as const, id: "ad" } }],
};

describe("the ops transport", () => {
  it("posts the batch, with the CSRF token, and hands back the server's result", async () => {
    const seen: Request[] = [];
    const fetch = (input: Request) => {
      seen.push(input);
      return Promise.resolve(
        Response.json({
          rev: 4,
          status: "applied",
          acks: [{ op_id: "a1", rev: 4, status: "applied" }],
          overwrites: [],
        }),
      );
    };
    const send = apiTransport(
      makeClient({
        fetch: fetch as typeof globalThis.fetch,
        baseUrl: "http://x",
        csrf: () => "tok",
      }),
    );
    const answer = await send("j1", batch);
    expect(answer).toEqual({
      ok: true,
      result: expect.objectContaining({ rev: 4, status: "applied" }) as unknown,
    });
    expect(seen[0]!.url).toBe("http://x/api/journeys/j1/ops");
    expect(seen[0]!.headers.get("X-CSRF-Token")).toBe("tok");
    expect(await seen[0]!.json()).toEqual(batch);
  });

  it("gives a refusal as the server's problem", async () => {
    const fetch = () =>
      Promise.resolve(
        Response.json(
          { status: 422, title: "Operations refused", detail: "card 'ad' is deleted" },
          { status: 422 },
        ),
      );
    const send = apiTransport(makeClient({ fetch: fetch, baseUrl: "http://x" }));
    const answer = await send("j1", batch);
    expect(answer).toMatchObject({
      ok: false,
      problem: { status: 422, detail: "card 'ad' is deleted" },
    });
  });

  it("rejects when no answer comes back", async () => {
    const fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    const send = apiTransport(makeClient({ fetch: fetch, baseUrl: "http://x" }));
    await expect(send("j1", batch)).rejects.toThrow("Failed to fetch");
  });
});
