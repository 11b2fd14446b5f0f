// In the journey's details panel (editors): the workspace's library personas, each added to
// this journey in one click: an `add` operation through the editor's one write path, with the
// library persona's id and fields (from then on the journey's copy is its own).
import { useState } from "react";
import type { JourneyDoc } from "../api/journey";
import { useEditor } from "../editor/EditorContext";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { useJourney } from "../state/journey";
import { addedValue, usePersonaLibrary } from "./personaLibrary";
import { onTheMap, personaTitle } from "./rules";
import "./team.css";

export function LibraryPersonas({ doc }: { doc: JourneyDoc }) {
  const editor = useEditor();
  const workspaceId = useJourney((s) => s.server?.workspaceId);
  const [open, setOpen] = useState(false);
  const { personas, error } = usePersonaLibrary(open ? workspaceId : undefined);
  if (!editor || !workspaceId) return null;
  const here = onTheMap(
    (personas ?? []).map((p) => p.id),
    doc.personas.map((p) => p.id),
  );
  return (
    <div className="library-personas">
      <button type="button" aria-expanded={open} aria-controls="library-personas" onClick={() => setOpen(!open)}>
        {open ? "Close the persona library" : "+ From the persona library"}
      </button>
      {open && (
        <div id="library-personas">
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {personas?.length === 0 && (
            <p className="muted small">
              The workspace&apos;s library has no personas yet. <Link href={paths.personas(workspaceId)}>The persona library</Link>
            </p>
          )}
          <ul className="team-list">
            {personas?.map((p) => {
              const { name, line } = personaTitle(p.id, p.value);
              return (
                <li key={p.id}>
                  <span>
                    <strong>{name}</strong>
                    {line && <span className="muted small"> · {line}</span>}
                  </span>
                  {here.has(p.id) ? (
                    <span className="muted small">On this map</span>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Add ${name} to this journey`}
                      onClick={() => {
                        const after = doc.personas.at(-1)?.id ?? null;
                        if (editor.edit({ kind: "add", entity: "persona", id: p.id, value: addedValue(p), after })) {
                          editor.announce(`Persona ${name} added from the library`);
                        }
                      }}
                    >
                      Add
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
