// A new lane: its name and what it holds. A lane's kind is fixed once it exists (the server
// never changes it), so it is chosen here, before the lane is made.
import { useRef, useState } from "react";
import type { LaneKind } from "../../api/journey";
import { useModal } from "../../app/useModal";
import { useJourney } from "../../state/journey";
import { useEditor } from "../EditorContext";
import { LANE_KINDS, addStructure } from "../structure";
import { createPortal } from "react-dom";

export function AddLaneDialog(props: {
  section: string;
  after?: string | null;
  kind?: LaneKind;
  onClose: () => void;
}) {
  const editor = useEditor();
  const hasCurve = useJourney(
    (s) => s.doc?.sections.some((sec) => sec.lanes.some((l) => l.kind === "emotion")) ?? false,
  );
  const kinds = LANE_KINDS.filter(([k]) => k !== "emotion" || !hasCurve);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<LaneKind>(
    props.kind && kinds.some(([k]) => k === props.kind) ? props.kind : "text",
  );
  const ref = useRef<HTMLDialogElement>(null);
  useModal(ref);
  if (!editor) return null;
  const add = () => {
    const words = name.trim() || (kinds.find(([k]) => k === kind)?.[1] ?? "New lane");
    const op = addStructure("lane", words, { after: props.after, parent: props.section }, kind);
    if (editor.edit(op)) editor.announce(`The lane ${words} is added.`);
    props.onClose();
  };
  // In the page's body: not inside a draggable card or head, where typing would start a drag.
  return createPortal(
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="add-lane-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="add-lane-title">Add a lane</h2>
      <form
        className="move-form"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          Name
          <input
            type="text"
            value={name}
            maxLength={200}
            placeholder={kinds.find(([k]) => k === kind)?.[1]}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          What it holds
          <select value={kind} onChange={(e) => setKind(e.target.value as LaneKind)}>
            {kinds.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add the lane
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
