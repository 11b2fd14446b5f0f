// The revisions, newest first: who, when and what in one line each; the open one is marked.
import { type Revision, type Version, whenText, whoText } from "./revisions";

export function RevisionList(props: {
  items: Revision[];
  versions: Version[];
  open: number;
  onOpen: (rev: number) => void;
  more: boolean;
  onMore: () => void;
}) {
  return (
    <section className="history-section" aria-labelledby="revisions-title">
      <h2 id="revisions-title">Revisions</h2>
      <ol className="revision-list">
        {props.items.map((r) => {
          const names = props.versions.filter((v) => v.rev === r.rev).map((v) => v.name);
          return (
            <li key={r.rev}>
              <button
                type="button"
                className="revision"
                aria-current={r.rev === props.open ? "true" : undefined}
                onClick={() => props.onOpen(r.rev)}
              >
                <span className="revision-head">
                  <span className="revision-no">Revision {r.rev}</span>
                  <span className="muted">
                    {whoText(r)} · <time dateTime={r.ts}>{whenText(r.ts)}</time>
                  </span>
                </span>
                <span className="revision-summary">{r.summary}</span>
                {names.map((n) => (
                  <span key={n} className="version-tag">
                    <span className="visually-hidden">Named version: </span>
                    {n}
                  </span>
                ))}
              </button>
            </li>
          );
        })}
      </ol>
      {props.more && (
        <button type="button" onClick={props.onMore}>
          Older revisions
        </button>
      )}
    </section>
  );
}
