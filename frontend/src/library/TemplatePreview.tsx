// A template drawn whole, read-only, in a dialog: the same grid as an open journey, so what the
// preview shows is what "Use this template" makes.
import { useEffect, useRef, useState } from "react";
import { must } from "../api/client";
import { type JourneyDoc, readJourney } from "../api/journey";
import { messageOf } from "../api/problem";
import { MapView } from "../editor/MapView";
import { useSession } from "../state/session";
import { useModal } from "../app/useModal";

export function TemplatePreview(props: {
  name: string;
  title: string;
  canUse: boolean;
  onUse: () => void;
  onClose: () => void;
}) {
  const api = useSession((s) => s.api);
  const ref = useRef<HTMLDialogElement>(null);
  const [doc, setDoc] = useState<JourneyDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useModal(ref);
  useEffect(() => {
    let live = true;
    must(api.GET("/api/templates/{name}", { params: { path: { name: props.name } } }))
      .then((answer) => live && setDoc(readJourney(answer.document)))
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [api, props.name]);

  return (
    <dialog
      ref={ref}
      className="dialog preview-dialog"
      aria-labelledby="preview-title"
      onCancel={(e) => {
        e.preventDefault();
        if (selected) setSelected(null);
        else props.onClose();
      }}
    >
      <div className="preview-head">
        <h2 id="preview-title">Preview: {props.title}</h2>
        <div className="dialog-buttons">
          {props.canUse && (
            <button type="button" className="primary" onClick={props.onUse}>
              Use this template
            </button>
          )}
          <button type="button" onClick={props.onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!doc && !error && <p className="muted">Loading the template…</p>}
      {doc && (
        <div className="preview-map">
          <MapView doc={doc} selected={selected} onSelect={setSelected} />
        </div>
      )}
    </dialog>
  );
}
