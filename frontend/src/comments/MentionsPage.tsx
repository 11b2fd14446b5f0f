// "Mentions of me": the comments that @mention the signed-in person, newest first, across the
// journeys they can read (GET /api/me/mentions), each linking to its thread; and the header's
// link to it, with the count of open ones.
import { useCallback, useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components } from "../api/schema";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { useSession } from "../state/session";
import "./comments.css";

type Page = components["schemas"]["MentionsPagePublic"];
const PER_PAGE = 20;
const REFRESH_MS = 60_000;

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export function MentionsPage() {
  const api = useSession((s) => s.api);
  const [offset, setOffset] = useState(0);
  const [openOnly, setOpenOnly] = useState(false);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Mentions of me · journeymap";
    let live = true;
    must(api.GET("/api/me/mentions", { params: { query: { limit: PER_PAGE, offset, open: openOnly } } }))
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [api, offset, openOnly]);
  return (
    <Shell>
      <div className="mentions-page">
        <h1>Mentions of me</h1>
        <p className="muted">
          Comments that mention you with @, newest first, on the journeys you can open.
        </p>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={openOnly}
            onChange={(e) => {
              setOffset(0);
              setOpenOnly(e.target.checked);
            }}
          />{" "}
          Open threads only
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {page && page.items.length === 0 && <p>No one has mentioned you yet.</p>}
        {page && page.items.length > 0 && (
          <ol className="thread-list" aria-label="Mentions">
            {page.items.map((m) => (
              <li key={m.comment_id} className={m.resolved_at ? "mention-entry resolved" : "mention-entry"}>
                <p className="comment-meta">
                  <span className="comment-author">{m.author_name ?? "A former member"}</span> on{" "}
                  {m.target_kind === "stage" ? "stage" : "card"} “{m.target_name}” in{" "}
                  <strong>{m.journey_title}</strong> · <time dateTime={m.created_at}>{when(m.created_at)}</time> ·{" "}
                  {m.resolved_at ? "Resolved" : "Open"}
                </p>
                <p className="comment-text">{m.text}</p>
                {m.target_live ? (
                  <Link href={paths.thread(m.journey_id, m.target_kind, m.target_id)}>
                    Open the thread on “{m.target_name}”
                  </Link>
                ) : (
                  <span className="small muted">
                    The {m.target_kind} has been deleted.{" "}
                    <Link href={paths.journey(m.journey_id)}>Open the journey</Link>
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
        {page && page.total > PER_PAGE && (
          <nav className="mentions-nav" aria-label="Pages of mentions">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PER_PAGE))}>
              Newer
            </button>
            <span>
              {offset + 1}–{Math.min(offset + PER_PAGE, page.total)} of {page.total}
            </span>
            <button
              type="button"
              disabled={offset + PER_PAGE >= page.total}
              onClick={() => setOffset(offset + PER_PAGE)}
            >
              Older
            </button>
          </nav>
        )}
      </div>
    </Shell>
  );
}

/** The header's link: "Mentions", with how many are open. */
export function MentionsLink() {
  const api = useSession((s) => s.api);
  const [open, setOpen] = useState<number | null>(null);
  const read = useCallback(() => {
    must(api.GET("/api/me/mentions", { params: { query: { limit: 1, open: true } } }))
      .then((p) => setOpen(p.open))
      .catch(() => setOpen(null)); // the header stays quiet: the page says what went wrong
  }, [api]);
  useEffect(() => {
    read();
    const timer = setInterval(read, REFRESH_MS);
    return () => clearInterval(timer);
  }, [read]);
  // The name a screen reader hears starts with the words on screen (axe: label-content-name).
  return (
    <Link href={paths.mentions()} className="mentions-link">
      Mentions
      {open ? (
        <>
          {" "}
          <span className="mentions-count">{open}</span>
          <span className="visually-hidden"> open, of me</span>
        </>
      ) : null}
    </Link>
  );
}
