// The "Pain points" panel: what the journey's last refresh found in its data, ranked, each with
// its evidence and explanation, and "Add to map" (an observed pain-point card, made by the
// server through the write path; the live editor then shows it).
import { useCallback, useEffect, useState } from "react";
import { must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { onEvidenceChanged } from "./evidenceEvents";
import { countedSignals, evidenceLine, type FindingPublic } from "./rules";
import "./measure.css";

export function PainPointsPanel({
  journeyId,
  canEdit,
}: {
  journeyId: string;
  canEdit: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="menu">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="pain-points-panel"
        onClick={() => setOpen(!open)}
      >
        Found pain points
      </button>
      {open && <Findings journeyId={journeyId} canEdit={canEdit} />}
    </div>
  );
}

function Findings({
  journeyId,
  canEdit,
}: {
  journeyId: string;
  canEdit: boolean;
}) {
  const api = useSession((s) => s.api);
  const [found, setFound] = useState<FindingPublic[] | null>(null);
  const [empty, setEmpty] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { journey_id: journeyId } } };

  const load = useCallback(async () => {
    try {
      const answer = await must(
        api.GET("/api/journeys/{journey_id}/pain-points", path),
      );
      setFound(answer.findings);
      setEmpty(null);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404)
        setEmpty(failure.problem.detail);
      else setError(messageOf(failure));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, journeyId]);
  useEffect(() => {
    void Promise.resolve().then(load); // after this render: load sets state
    return onEvidenceChanged(journeyId, () => void load());
  }, [load, journeyId]);

  const add = async (finding: string) => {
    setError(null);
    try {
      const answer = await must(
        api.POST("/api/journeys/{journey_id}/pain-points/{finding}/add", {
          params: { path: { journey_id: journeyId, finding } },
        }),
      );
      setFound(answer.findings);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section
      id="pain-points-panel"
      className="menu-list data-menu"
      aria-label="Found pain points"
    >
      <h2>Pain points found in the data</h2>
      {empty && <p className="small muted">{empty}</p>}
      {found && found.length === 0 && (
        <p className="small muted">Nothing stands out.</p>
      )}
      {found && found.length > 0 && (
        <ol className="measure-findings">
          {found.map((f) => {
            const signals = countedSignals(f);
            return (
              <li key={f.id} className="measure-finding">
                <h3>{f.name}</h3>
                <p className="small">{f.explanation}</p>
                {signals.length > 0 && (
                  <ul className="small" aria-label={`Evidence for ${f.name}`}>
                    {signals.map((s) => (
                      <li key={s.name}>{evidenceLine(s)}</li>
                    ))}
                  </ul>
                )}
                {f.card ? (
                  <p className="small measure-added">Added to the map</p>
                ) : (
                  canEdit &&
                  signals.length > 0 && (
                    <button
                      type="button"
                      aria-label={`Add to map: ${f.name}`}
                      onClick={() => void add(f.id)}
                    >
                      Add to map
                    </button>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
