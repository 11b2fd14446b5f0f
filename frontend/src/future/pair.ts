// The current/future pair as the header shows it, and the comparison's marks: pure (Vitest).
import type { components } from "../api/schema";
import { cardMarks, type Mark, withHighlight } from "../history/changes";

export type Counterparts = components["schemas"]["CounterpartsPublic"];
export type Comparison = components["schemas"]["ComparePublic"];
export type JourneyRef = components["schemas"]["JourneyRefPublic"];

/** Both halves of the pair, in order (current first), when the journey has a counterpart. */
export function pairOf(
  journey: { id: string; title: string; state: string },
  found: Counterparts,
): { current: { id: string; title: string }; future: { id: string; title: string } } | null {
  if (journey.state === "future" && found.current)
    return { current: found.current, future: journey };
  const future = found.futures[0];
  if (journey.state !== "future" && future) return { current: journey, future };
  return null;
}

/** The cards' marks in a comparison: the diff's, and each resolved pain point "resolved" with
 * how (a removed one stays a ghost with both words). */
export function compareMarks(found: Comparison): Map<string, Mark> {
  let marks = cardMarks(found.diff);
  for (const pain of found.pain_points_resolved)
    marks = withHighlight(marks, pain.id, "resolved", pain.how);
  return marks;
}

export interface Tally {
  label: string;
  count: number;
}

/** The comparison's headline numbers, in the order the page lists them. */
export function tallies(found: Comparison): Tally[] {
  return [
    { label: "Touchpoints added", count: found.touchpoints_added.length },
    { label: "Touchpoints removed", count: found.touchpoints_removed.length },
    { label: "Touchpoints changed", count: found.touchpoints_changed.length },
    { label: "Pain points resolved", count: found.pain_points_resolved.length },
  ];
}
