// Named versions ("Workshop March"): the list, each opening its revision, and naming the open one.
import { type SyntheticEvent, useState } from "react";
import { type Version, whenText } from "./revisions";

export function VersionsSection(props: {
  versions: Version[];
  open: number;
  canEdit: boolean;
  onOpen: (rev: number) => void;
  onName: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onName(name);
      setName("");
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="history-section" aria-labelledby="versions-title">
      <h2 id="versions-title">Named versions</h2>
      {props.versions.length === 0 ? (
        <p className="muted">No named versions yet.</p>
      ) : (
        <ul className="version-list">
          {props.versions.map((v) => (
            <li key={v.name}>
              <button
                type="button"
                className="link-button"
                aria-current={v.rev === props.open ? "true" : undefined}
                onClick={() => props.onOpen(v.rev)}
              >
                {v.name}
              </button>{" "}
              <span className="muted">
                revision {v.rev} · {whenText(v.ts)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {props.canEdit && (
        <form className="version-form" onSubmit={(e) => void submit(e)}>
          <label htmlFor="version-name">Name revision {props.open}</label>
          <div className="inline-form">
            <input
              id="version-name"
              value={name}
              maxLength={200}
              placeholder="e.g. Workshop March"
              onChange={(e) => setName(e.target.value)}
              required
            />
            <button type="submit" disabled={busy || name.trim() === ""}>
              Name version
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
