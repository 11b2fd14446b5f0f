import { useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { ConfirmDialog } from "../app/ConfirmDialog";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { type Summary, useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { ago, reviewDue } from "./when";

type Notice = { id: string; text: string };

/** The library's rows: a thumbnail of the poster, the title, its status, state, personas, owner,
 * last change and by whom, and the review-by date; duplicate and delete. */
export function JourneyList({ onChanged }: { onChanged: (notice: Notice) => void }) {
  const api = useSession((s) => s.api);
  const { items, refresh, workspaces, workspaceId } = useLibrary();
  const role = workspaces.find((w) => w.id === workspaceId)?.role;
  const canEdit = role === "editor" || role === "owner";
  const [deleting, setDeleting] = useState<Summary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const duplicate = async (j: Summary) => {
    setError(null);
    try {
      const made = await must(
        api.POST("/api/journeys/{journey_id}/duplicate", {
          params: { path: { journey_id: j.id } },
        }),
      );
      const title = typeof made.document.title === "string" ? made.document.title : made.id;
      onChanged({ id: made.id, text: `Made “${title}”.` });
      await refresh(api);
    } catch (failure) {
      setError(`${j.title}: ${messageOf(failure)}`);
    }
  };
  const remove = async (j: Summary) => {
    setBusy(true);
    setError(null);
    try {
      await must(
        api.DELETE("/api/journeys/{journey_id}", {
          params: { path: { journey_id: j.id } },
          headers: { "If-Match": `"r${j.rev}"` },
        }),
      );
      setDeleting(null);
      await refresh(api);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && !deleting && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ul className="journey-list" aria-label="Journeys">
        {items.map((j) => (
          <li key={j.id} className="journey-row">
            <Link href={paths.journey(j.id)} className="thumb" tabIndex={-1} aria-hidden="true">
              <img
                src={`/api/journeys/${encodeURIComponent(j.id)}/render.svg?evidence=false&v=${j.rev}`}
                alt=""
                loading="lazy"
                width={160}
                height={100}
              />
            </Link>
            <div className="journey-main">
              <h2 className="journey-title">
                <Link href={paths.journey(j.id)}>{j.title}</Link>
              </h2>
              <p className="journey-meta">
                <span className={`badge status-${j.status}`}>{j.status}</span>
                <span className={`badge state-${j.state}`}>{j.state} state</span>
                {j.personas.length > 0 && (
                  <span>Persona: {j.personas.join(", ")}</span>
                )}
                {j.owner && <span>Owner: {j.owner}</span>}
                <span title={new Date(j.updated_at).toLocaleString()}>
                  Changed {ago(j.updated_at)}
                  {j.last_editor ? ` by ${j.last_editor}` : ""}
                </span>
                {j.review_by && (
                  <span className={reviewDue(j.review_by) ? "review-due" : undefined}>
                    Review by {j.review_by}
                  </span>
                )}
              </p>
            </div>
            {canEdit && (
              <div className="journey-actions">
                <button
                  type="button"
                  onClick={() => void duplicate(j)}
                  aria-label={`Duplicate ${j.title}`}
                >
                  Duplicate
                </button>
                <button
                  type="button"
                  className="danger-text"
                  onClick={() => {
                    setError(null);
                    setDeleting(j);
                  }}
                  aria-label={`Delete ${j.title}`}
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.title}”?`}
          body="It leaves the library for everyone in this workspace. Its history is kept on the server."
          confirm="Delete"
          danger
          busy={busy}
          error={error}
          onConfirm={() => void remove(deleting)}
          onCancel={() => {
            setDeleting(null);
            setError(null);
          }}
        />
      )}
    </>
  );
}
