// The future state against the current one: the future map drawn read-only with what changed
// highlighted (removed cards as ghosts where they were), and the lists a review asks for:
// touchpoints added, removed and changed, and the pain points resolved.
import { useEffect, useState } from "react";
import { must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { messageOf } from "../api/problem";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { EditorContext } from "../editor/EditorContext";
import { MapView } from "../editor/MapView";
import { ChangeLegend } from "../history/ChangeLegend";
import { ChangeList } from "../history/ChangeList";
import { type Mark, withGhosts } from "../history/changes";
import { useRevealFirstChange } from "../history/reveal";
import { ChangeMarks } from "../history/marksContext";
import { useSession } from "../state/session";
import { type Comparison, compareMarks, tallies } from "./pair";
import "../history/history.css";
import "./future.css";

interface Shown {
  found: Comparison;
  doc: JourneyDoc;
  marks: Map<string, Mark>;
}

export function ComparePage({ journeyId, otherId }: { journeyId: string; otherId: string | null }) {
  const api = useSession((s) => s.api);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useRevealFirstChange(shown);

  useEffect(() => {
    let live = true;
    const load = async (): Promise<Shown> => {
      const found = await must(
        otherId
          ? api.GET("/api/journeys/{journey_id}/compare/{other_id}", {
              params: { path: { journey_id: journeyId, other_id: otherId } },
            })
          : api.GET("/api/journeys/{journey_id}/compare", {
              params: { path: { journey_id: journeyId } },
            }),
      );
      const read = async (id: string) =>
        readJourney(
          (
            await must(
              api.GET("/api/journeys/{journey_id}", { params: { path: { journey_id: id } } }),
            )
          ).document,
        );
      const [before, after] = await Promise.all([
        read(found.from_journey.id),
        read(found.to_journey.id),
      ]);
      const marks = compareMarks(found);
      return { found, doc: withGhosts(after, before, marks), marks };
    };
    load()
      .then((s) => {
        if (!live) return;
        setShown(s);
        document.title = `${s.found.to_journey.title} compared · journeymap`;
      })
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [api, journeyId, otherId]);

  return (
    <Shell wide>
      {error && (
        <div className="page-pad">
          <h1>Nothing to compare</h1>
          <p className="form-error" role="alert">
            {error}
          </p>
          <Link href={paths.journey(journeyId)}>Back to the map</Link>
        </div>
      )}
      {!error && !shown && <p className="muted page-pad">Comparing the two maps…</p>}
      {shown && (
        <div className="history-layout">
          <div className="history-map">
            <ChangeMarks.Provider value={shown.marks}>
              <EditorContext.Provider value={null}>
                <MapView
                  doc={shown.doc}
                  selected={selected}
                  onSelect={setSelected}
                  tools={
                    <div className="map-actions">
                      <Link href={paths.journey(shown.found.from_journey.id)}>
                        Open {shown.found.from_journey.state} map
                      </Link>
                      <Link href={paths.journey(shown.found.to_journey.id)}>
                        Open {shown.found.to_journey.state} map
                      </Link>
                    </div>
                  }
                  banner={
                    <div className="history-banner">
                      <p role="status">
                        <strong>Compared.</strong> Showing “{shown.found.to_journey.title}”,
                        read-only, with what changed since “{shown.found.from_journey.title}”
                        highlighted.
                      </p>
                      <ChangeLegend />
                    </div>
                  }
                />
              </EditorContext.Provider>
            </ChangeMarks.Provider>
          </div>
          <aside className="history-side" aria-label="Differences">
            <CompareSummary found={shown.found} />
            <ChangeList summary={shown.found.summary} from={1} />
          </aside>
        </div>
      )}
    </Shell>
  );
}

function CompareSummary({ found }: { found: Comparison }) {
  const lists = [
    {
      title: "Touchpoints added",
      items: found.touchpoints_added.map((t) => [t.id, t.label, t.stage, ""]),
    },
    {
      title: "Touchpoints removed",
      items: found.touchpoints_removed.map((t) => [t.id, t.label, t.stage, ""]),
    },
    {
      title: "Touchpoints changed",
      items: found.touchpoints_changed.map((t) => [t.id, t.label, t.stage, t.changes.join(", ")]),
    },
    {
      title: "Pain points resolved",
      items: found.pain_points_resolved.map((p) => [p.id, p.label, p.stage, p.how]),
    },
  ];
  return (
    <section className="history-section" aria-labelledby="compare-title">
      <h2 id="compare-title">Current → future</h2>
      <dl className="tallies">
        {tallies(found).map((t) => (
          <div key={t.label}>
            <dt>{t.label}</dt>
            <dd>{t.count}</dd>
          </div>
        ))}
      </dl>
      {lists.map((list) =>
        list.items.length === 0 ? null : (
          <section key={list.title} className="compare-list" aria-label={list.title}>
            <h3>{list.title}</h3>
            <ul>
              {list.items.map(([id, label, stage, how]) => (
                <li key={id}>
                  <a href={`#card-${id}`}>{label}</a> <span className="muted">· {stage}</span>
                  {how && <span className="muted"> · {how}</span>}
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
    </section>
  );
}
