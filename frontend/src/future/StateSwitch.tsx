// In the map's header: the current/future switch when the journey has its counterpart (one
// click to the other map, and to the diff between them), else "Create future state" for an
// editor of a current map.
import { useEffect, useState } from "react";
import { must } from "../api/client";
import type { JourneyDoc } from "../api/journey";
import { messageOf } from "../api/problem";
import { Link } from "../app/Link";
import { paths, useRouter } from "../app/router";
import { useSession } from "../state/session";
import { type Counterparts, pairOf } from "./pair";
import "./future.css";

export function StateSwitch(props: { journeyId: string; doc: JourneyDoc; canEdit: boolean }) {
  const { journeyId, doc, canEdit } = props;
  const api = useSession((s) => s.api);
  const navigate = useRouter((s) => s.navigate);
  const [found, setFound] = useState<Counterparts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    must(
      api.GET("/api/journeys/{journey_id}/counterparts", {
        params: { path: { journey_id: journeyId } },
      }),
    )
      .then((c) => live && setFound(c))
      .catch(() => live && setFound({ current: null, futures: [] }));
    return () => {
      live = false;
    };
  }, [api, journeyId]);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await must(
        api.POST("/api/journeys/{journey_id}/future-state", {
          params: { path: { journey_id: journeyId } },
        }),
      );
      navigate(paths.journey(made.id));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  const state = doc.state === "future" ? "future" : "current";
  const pair = found ? pairOf({ id: journeyId, title: doc.title, state }, found) : null;
  if (!pair) {
    return (
      <div className="state-switch">
        <span className={`state-badge ${state}`}>
          {state === "future" ? "Future state" : "Current state"}
        </span>
        {found && state === "current" && canEdit && (
          <button type="button" onClick={() => void create()} disabled={busy}>
            Create future state
          </button>
        )}
        {error && (
          <span className="form-error inline" role="alert">
            {error}
          </span>
        )}
      </div>
    );
  }
  const side = (which: "current" | "future", id: string, title: string) =>
    which === state ? (
      <span className={`state-option on ${which}`} aria-current="page">
        {which === "future" ? "Future state" : "Current state"}
      </span>
    ) : (
      <Link
        href={paths.journey(id)}
        className={`state-option ${which}`}
        aria-label={`${which === "future" ? "Future state" : "Current state"}: ${title}`}
      >
        {which === "future" ? "Future state" : "Current state"}
      </Link>
    );
  return (
    <div className="state-switch">
      <nav className="state-toggle" aria-label="Current and future state">
        {side("current", pair.current.id, pair.current.title)}
        {side("future", pair.future.id, pair.future.title)}
      </nav>
      <Link href={paths.compare(pair.current.id, pair.future.id)} className="compare-link">
        Compare current and future
      </Link>
    </div>
  );
}
