// The browser draws as the poster does: these values come from src/journeymap/render
// (zlib.crc32, svg.score_colour and svg.smooth_path on the same inputs).
import { describe, expect, it } from "vitest";
import { readJourney } from "../api/journey";
import { storeDocument } from "../test/fixtures";
import { cardParts, channelColourIndex, crc32, scoreColour, smoothPath } from "./poster";

describe("the poster's drawing rules", () => {
  it("picks a channel's colour by the CRC-32 of its name, as the poster does", () => {
    expect(crc32("social")).toBe(1902240135);
    expect(crc32("Ünïcode 店")).toBe(4073506633);
    expect(["social", "web", "email", "chat"].map(channelColourIndex)).toEqual([5, 9, 2, 0]);
  });

  it("colours scores from red through amber to green", () => {
    expect([-2, -1.5, -1, 0, 0.5, 1, 2].map(scoreColour)).toEqual([
      "#c62828",
      "#d04b28",
      "#db6e28",
      "#f0b429",
      "#c0a62b",
      "#8f982e",
      "#2e7d32",
    ]);
  });

  it("draws the same monotone curve", () => {
    expect(smoothPath([[116, 106], [356, 66], [596, 146], [836, 66], [1076, 26]])).toBe(
      "M 116.0 106.0 C 196.0 92.7, 276.0 66.0, 356.0 66.0 C 436.0 66.0, 516.0 146.0, 596.0 146.0" +
        " C 676.0 146.0, 756.0 86.0, 836.0 66.0 C 916.0 46.0, 996.0 39.3, 1076.0 26.0",
    );
    expect(smoothPath([[0, 0], [10, 10], [20, 10]])).toBe(
      "M 0.0 0.0 C 3.3 3.3, 6.7 10.0, 10.0 10.0 C 13.3 10.0, 16.7 10.0, 20.0 10.0",
    );
    expect(smoothPath([[5, 5]])).toBe("M 5.0 5.0");
  });

  it("writes each kind's head, big number and footer", () => {
    const doc = readJourney(storeDocument());
    const parts = new Map(doc.cards.map((c) => [c.id, cardParts(c)]));
    expect(parts.get("ad")).toEqual({
      head: "SOCIAL",
      text: "Sponsored post",
      big: null,
      foot: ["Owner: Marketing"],
    });
    expect(parts.get("fee-late")?.head).toBe("PAIN POINT · severity 5");
    expect(parts.get("fee-late")?.foot).toEqual(["Frequent"]);
    expect(parts.get("abandon")).toMatchObject({ big: "68%", foot: ["Target: 40%"] });
    expect(parts.get("tells")).toMatchObject({ text: "“Lovely”", foot: ["— Alex"] });
  });
});
