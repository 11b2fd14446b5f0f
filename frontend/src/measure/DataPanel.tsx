// The journey's "Data" panel: the workspace's data sources (owners register them), the sources
// and options this journey is measured with, and Refresh with its progress, Cancel, and the
// failure in the server's words. The server decides what is allowed; this shows its answers.
import { useCallback, useEffect, useState } from "react";
import { must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { optionsOf, progressText, whereOf, type SourcePublic } from "./rules";
import { SourceForm } from "./SourceForm";
import { useRefresh } from "./useRefresh";
import "./measure.css";

interface Choice {
  events: string;
  feedback: string;
  windowDays: string;
  minCount: string;
  splitBy: string;
  periods: [string, string, string, string];
}

const NO_CHOICE: Choice = {
  events: "",
  feedback: "",
  windowDays: "",
  minCount: "10",
  splitBy: "",
  periods: ["", "", "", ""],
};
const PERIOD_LABELS = [
  "Before: from",
  "Before: to",
  "After: from",
  "After: to",
];

function periodsOf(p: string[][] | null | undefined): Choice["periods"] {
  const at = (i: number, j: number) => p?.[i]?.[j] ?? "";
  return [at(0, 0), at(0, 1), at(1, 0), at(1, 1)];
}

export function DataPanel({
  journeyId,
  workspaceId,
}: {
  journeyId: string;
  workspaceId: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="menu">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="data-panel"
        onClick={() => setOpen(!open)}
      >
        Data
      </button>
      {open && <DataBody journeyId={journeyId} workspaceId={workspaceId} />}
    </div>
  );
}

function DataBody({
  journeyId,
  workspaceId,
}: {
  journeyId: string;
  workspaceId: string;
}) {
  const api = useSession((s) => s.api);
  const [sources, setSources] = useState<SourcePublic[]>([]);
  const [role, setRole] = useState<string | null>(null);
  const [choice, setChoice] = useState<Choice>(NO_CHOICE);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState("");
  const refresh = useRefresh(journeyId);
  const journey = { params: { path: { journey_id: journeyId } } };

  const load = useCallback(async () => {
    try {
      const ws = await must(
        api.GET("/api/workspaces/{workspace_id}", {
          params: { path: { workspace_id: workspaceId } },
        }),
      );
      setRole(ws.role);
      setSources(
        await must(
          api.GET("/api/workspaces/{workspace_id}/sources", {
            params: { path: { workspace_id: workspaceId } },
          }),
        ),
      );
    } catch (failure) {
      setError(messageOf(failure));
      return;
    }
    try {
      const link = await must(
        api.GET("/api/journeys/{journey_id}/sources", journey),
      );
      setChoice({
        events: link.events,
        feedback: link.feedback ?? "",
        windowDays:
          link.options?.window_days != null
            ? String(link.options.window_days)
            : "",
        minCount: String(link.options?.min_count ?? 10),
        splitBy: link.options?.split_by ?? "",
        periods: periodsOf(link.options?.periods),
      });
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 404))
        setError(messageOf(failure));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, workspaceId, journeyId]);

  useEffect(() => {
    void Promise.resolve().then(load); // after this render: load sets state
  }, [load]);

  const save = async (): Promise<boolean> => {
    setError(null);
    setSaved("");
    try {
      await must(
        api.PUT("/api/journeys/{journey_id}/sources", {
          ...journey,
          body: {
            events: choice.events,
            feedback: choice.feedback || null,
            options: optionsOf(choice),
          },
        }),
      );
      setSaved("Saved the journey's sources");
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    }
  };
  const remove = async (name: string) => {
    setError(null);
    try {
      await must(
        api.DELETE("/api/workspaces/{workspace_id}/sources/{name}", {
          params: { path: { workspace_id: workspaceId, name } },
        }),
      );
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const owner = role === "owner";
  const events = sources.filter((s) => s.kind === "events");
  const feedback = sources.filter((s) => s.kind === "feedback");
  const job = refresh.job;
  const running = job?.state === "running";
  return (
    <section
      id="data-panel"
      className="menu-list data-menu"
      aria-label="Data"
    >
      <h2>Data sources</h2>
      {sources.length === 0 ? (
        <p className="small muted">
          No data sources yet.
          {owner
            ? " Register one below."
            : " A workspace owner registers them."}
        </p>
      ) : (
        <ul
          className="measure-sources"
          aria-label="The workspace's data sources"
        >
          {sources.map((s) => (
            <li key={s.name}>
              <span className="measure-name">{s.name}</span>{" "}
              <span className="measure-kind">{s.kind}</span>{" "}
              <span className="small">{whereOf(s)}</span>
              {owner && (
                <button
                  type="button"
                  aria-label={`Remove the source ${s.name}`}
                  onClick={() => void remove(s.name)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {owner && (
        <details className="measure-register">
          <summary>Register a source</summary>
          <SourceForm workspaceId={workspaceId} onAdded={() => void load()} />
        </details>
      )}

      <h2>This journey</h2>
      <form
        className="measure-form"
        aria-label="The journey's sources and options"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="measure-field">
          <span>Events source</span>
          <select
            value={choice.events}
            onChange={(e) => setChoice({ ...choice, events: e.target.value })}
          >
            <option value="">Choose…</option>
            {events.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="measure-field">
          <span>Feedback source</span>
          <select
            value={choice.feedback}
            onChange={(e) => setChoice({ ...choice, feedback: e.target.value })}
          >
            <option value="">None</option>
            {feedback.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="measure-field">
          <span>Window (days)</span>
          <input
            inputMode="decimal"
            placeholder="the journey's own"
            value={choice.windowDays}
            onChange={(e) =>
              setChoice({ ...choice, windowDays: e.target.value })
            }
          />
        </label>
        <label className="measure-field">
          <span>Smallest count shown</span>
          <input
            inputMode="numeric"
            value={choice.minCount}
            onChange={(e) => setChoice({ ...choice, minCount: e.target.value })}
          />
        </label>
        <label className="measure-field">
          <span>Split by</span>
          <input
            placeholder="persona, segment…"
            value={choice.splitBy}
            onChange={(e) => setChoice({ ...choice, splitBy: e.target.value })}
          />
        </label>
        <fieldset className="measure-periods">
          <legend>Compare two periods (optional)</legend>
          {PERIOD_LABELS.map((label, i) => (
            <label key={label} className="measure-field">
              <span>{label}</span>
              <input
                type="date"
                value={choice.periods[i]}
                onChange={(e) => {
                  const periods = [...choice.periods] as Choice["periods"];
                  periods[i] = e.target.value;
                  setChoice({ ...choice, periods });
                }}
              />
            </label>
          ))}
        </fieldset>
        <div className="measure-actions">
          <button type="submit">Save choice</button>
          <button
            type="button"
            className="primary"
            disabled={running}
            onClick={() =>
              void save().then(async (ok) => {
                if (ok) await refresh.start();
              })
            }
          >
            Refresh
          </button>
          {running && (
            <button type="button" onClick={() => void refresh.cancel()}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {job && (
        <div className="measure-progress">
          {running && (
            <progress
              max={1}
              value={job.fraction}
              aria-label={`Refresh progress: ${job.stage}`}
            />
          )}
          <p className="small" role="status">
            {progressText(job)}
          </p>
          {job.state === "failed" && job.message && (
            <p className="form-error refresh-failure" role="alert">
              {job.message}
            </p>
          )}
        </div>
      )}
      {saved && !job && (
        <p className="small" role="status">
          {saved}
        </p>
      )}
      {(error ?? refresh.error) && (
        <p className="form-error" role="alert">
          {error ?? refresh.error}
        </p>
      )}
    </section>
  );
}
