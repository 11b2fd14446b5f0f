// A small evidence set for the measure tests, shaped as `journeymap analyze --save` writes it.
import type { EvidenceSet } from "./evidence";

export const EV: EvidenceSet = {
  format_version: 3,
  journey: "store",
  source: "events.parquet",
  period: ["2026-01-05T06:10:00Z", "2026-03-17T23:04:17Z"],
  computed_at: "2026-12-07T10:00:00Z",
  query_hash: "abc",
  min_count: 10,
  items: [
    { metric: "reach", target: "ad", value: 1234, n: 1234, suppressed: false },
    { metric: "reach", target: "page", value: 800, n: 800, suppressed: false },
    { metric: "reach", target: "wall", value: null, n: null, suppressed: true },
    { metric: "drop_off_share", target: "page", value: 0.42, n: 300, suppressed: false },
    { metric: "drop_off_share", target: "fee", value: 0.055, n: 40, suppressed: false },
    { metric: "stage_customers", target: "aware", value: 1234, n: 1234, suppressed: false },
    { metric: "stage_customers", target: "buy", value: 600, n: 600, suppressed: false },
    { metric: "stage_conversion", target: "buy", value: 0.4862, n: 600, suppressed: false },
    { metric: "stage_median_s", target: "buy", value: 7200, n: 600, suppressed: false },
    { metric: "stage_customers", target: "love", value: null, n: null, suppressed: true },
  ],
  transitions: [
    { source: "ad", target: "page", count: 900, share: 0.9, median_gap_s: 30, suppressed: false },
    { source: "page", target: "fee", count: 300, share: 0.5, median_gap_s: 90, suppressed: false },
    { source: "fee", target: "page", count: 100, share: 0.2, median_gap_s: 45, suppressed: false },
    { source: "page", target: "wall", count: null, share: null, median_gap_s: null, suppressed: true },
  ],
  paths: [
    { touchpoints: ["ad", "page"], customers: 500, suppressed: false },
    { touchpoints: ["ad", "page", "wall"], customers: null, suppressed: true },
  ],
  split: {
    by: "persona",
    groups: {
      "young-professional": [
        { stage: "aware", customers: 700, conversion: null, overall: 1, suppressed: false },
        { stage: "buy", customers: 350, conversion: 0.5, overall: 0.5, suppressed: false },
        { stage: "love", customers: null, conversion: null, overall: null, suppressed: true },
      ],
      "family-shopper": [
        { stage: "aware", customers: 534, conversion: null, overall: 1, suppressed: false },
        { stage: "buy", customers: 250, conversion: 0.468, overall: 0.468, suppressed: false },
      ],
    },
  },
  periods: [
    { stage: "aware", before_customers: 600, before_rate: null, after_customers: 634, after_rate: null, p_value: null },
    { stage: "buy", before_customers: 280, before_rate: 0.4667, after_customers: 320, after_rate: 0.5047, p_value: 0.0542 },
  ],
};

export const STAGES = [
  { id: "aware", name: "Awareness" },
  { id: "buy", name: "Decision" },
  { id: "love", name: "Advocacy" },
];
