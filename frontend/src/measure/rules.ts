// The Data and Pain points panels' rules, pure: the source definition the register form sends,
// the journey's options, and how a refresh's progress and a finding read. The server checks
// everything again (paths, passwords); these only shape what is sent and shown.
import type { components } from "../api/schema";

export type SourcePublic = components["schemas"]["SourcePublic"];
export type RefreshPublic = components["schemas"]["RefreshPublic"];
export type FindingPublic = components["schemas"]["FindingPublic"];
export type OptionsIO = components["schemas"]["OptionsIO"];
export type Definition = components["schemas"]["SourceNew"]["definition"];

export type SourceKind = "events" | "feedback";

/** What the register form holds, as typed. */
export interface SourceForm {
  name: string;
  kind: SourceKind;
  where: "file" | "database";
  path: string; // relative to the server's sources folder
  url: string; // scheme://user@host:port/database, no password
  table: string;
  customer: string;
  timestamp: string;
  event: string;
  channel: string;
  score: string; // feedback
  text: string; // feedback
  scale: string; // feedback: nps, csat, ces, stars
  placeBy: "touchpoint" | "event" | "stage" | "last_event";
  placeColumn: string;
}

export const EMPTY_FORM: SourceForm = {
  name: "",
  kind: "events",
  where: "file",
  path: "",
  url: "",
  table: "",
  customer: "customer_id",
  timestamp: "ts",
  event: "event",
  channel: "",
  score: "score",
  text: "comment",
  scale: "csat",
  placeBy: "touchpoint",
  placeColumn: "touchpoint",
};

const trimmed = (s: string): string | undefined =>
  s.trim() ? s.trim() : undefined;

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  );
}

/** The definition the API takes (the CLI's source file as JSON) from the form. */
export function definitionOf(form: SourceForm): Definition {
  return shape(form) as unknown as Definition;
}

function shape(form: SourceForm): Record<string, unknown> {
  if (form.kind === "feedback") {
    return compact({
      feedback: { path: form.path.trim() },
      columns: compact({
        timestamp: form.timestamp.trim(),
        customer: trimmed(form.customer),
        score: trimmed(form.score),
        text: trimmed(form.text),
      }),
      scale: trimmed(form.score) ? trimmed(form.scale) : undefined,
      place: compact({
        by: form.placeBy,
        column:
          form.placeBy === "last_event" ? undefined : trimmed(form.placeColumn),
      }),
    });
  }
  const source =
    form.where === "file"
      ? { path: form.path.trim() }
      : { url: form.url.trim(), table: form.table.trim() };
  return {
    source,
    columns: compact({
      customer: form.customer.trim(),
      timestamp: form.timestamp.trim(),
      event: trimmed(form.event),
      channel: trimmed(form.channel),
    }),
  };
}

/** Where a stored source reads from, in words: its path, or its url and table. */
export function whereOf(source: SourcePublic): string {
  const d = source.definition as unknown as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const part = source.kind === "feedback" ? d.feedback : d.source;
  if (!part) return "";
  if (typeof part.path === "string") return part.path;
  if (typeof part.url === "string")
    return `${part.url} · ${typeof part.table === "string" ? part.table : ""}`;
  return "";
}

/** The options the journey form sends: blanks left to the server's defaults. */
export function optionsOf(form: {
  windowDays: string;
  minCount: string;
  splitBy: string;
  periods?: [string, string, string, string]; // before from/to, after from/to (ISO dates)
}): OptionsIO {
  const days = Number(form.windowDays);
  const count = Number(form.minCount);
  const p = form.periods;
  const compare = p && p.every((d) => d.trim() !== "");
  return {
    window_days: form.windowDays.trim() && Number.isFinite(days) ? days : null,
    min_count: form.minCount.trim() && Number.isInteger(count) ? count : 10,
    split_by: form.splitBy.trim() || null,
    periods: compare
      ? [
          [p[0], p[1]],
          [p[2], p[3]],
        ]
      : null,
  };
}

/** A refresh's progress in words, for the progress bar's label and the status line. */
export function progressText(job: RefreshPublic): string {
  const percent = Math.round(job.fraction * 100);
  switch (job.state) {
    case "running":
      return `Refreshing: ${job.stage} (${percent}%)`;
    case "done":
      return job.findings === 1
        ? "Refreshed: the figures are new; 1 pain point found"
        : `Refreshed: the figures are new; ${job.findings ?? 0} pain points found`;
    case "cancelled":
      return "Refresh cancelled: nothing was changed";
    case "failed":
      return "Refresh failed";
  }
}

/** Whether the job is over and the evidence should be read again. */
export function justFinished(
  before: RefreshPublic | null,
  now: RefreshPublic,
): boolean {
  return before?.state === "running" && now.state === "done";
}

/** The signals of a finding that count (above the journey's baseline), strongest first. */
export function countedSignals(
  finding: FindingPublic,
): FindingPublic["signals"] {
  return finding.signals
    .filter((s) => s.counts)
    .sort((a, b) => b.excess - a.excess);
}

type Signal = FindingPublic["signals"][number];

/** A signal's figures, beside the explanation's words: count of n, against the baseline. */
export function evidenceLine(s: Signal): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rate = s.rate != null ? ` (${pct(s.rate)}` : "";
  const base =
    s.rate != null && s.baseline != null
      ? ` against ${pct(s.baseline)} elsewhere)`
      : rate
        ? ")"
        : "";
  const p = s.p_value != null ? `, p = ${s.p_value.toPrecision(2)}` : "";
  return `${s.name}: ${s.count} of ${s.n}${rate}${base}${p}`;
}
