// The name of a stage, step, section or lane, with its actions when the person may edit:
// rename in place, add one after it (or a step or lane in it), move it, delete it (saying
// what goes with it first). Every action is an operation through the editor, so undo works.
import { useState } from "react";
import { ConfirmDialog } from "../../app/ConfirmDialog";
import type { LaneKind } from "../../api/journey";
import { useJourney } from "../../state/journey";
import { useEditor } from "../EditorContext";
import { type Structure, addStructure, goesWith, moveBy, siblingIds } from "../structure";
import { ActionsMenu, type MenuItem } from "./ActionsMenu";
import { AddLaneDialog } from "./AddLaneDialog";
import { InlineText } from "./InlineText";
import { actionsId, focusLater, useGridUi } from "./ui";

const WORD: Record<Structure, string> = { stage: "stage", step: "step", section: "section", lane: "lane" };
const SIDEWAYS = new Set<Structure>(["stage", "step"]);

export function StructureName(props: {
  kind: Structure;
  id: string;
  name: string;
  className: string;
  parent?: string; // a step's stage, a lane's section
  laneKind?: LaneKind;
}) {
  const { kind, id, name } = props;
  const editor = useEditor();
  const renaming = useGridUi((s) => s.renaming === id);
  const rename = useGridUi((s) => s.rename);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [addingLane, setAddingLane] = useState(false);
  if (!editor) return <span className={props.className}>{name}</span>;

  const word = WORD[kind];
  const refusal =
    editor.refusalFor({ entity: kind, id, field: "name" }) ??
    editor.refusalFor({ entity: kind, id, field: null });
  const doc = () => useJourney.getState().doc!;
  const add = (what: Structure, where: { after?: string | null; parent?: string }) => {
    const op = addStructure(what, `New ${WORD[what]}`, where);
    if (editor.edit(op)) rename(op.id);
  };
  const move = (by: -1 | 1) => {
    const op = moveBy(doc(), kind, id, by);
    if (!op) editor.announce(`${name} is already the ${by < 0 ? "first" : "last"}.`);
    else if (editor.edit(op)) editor.announce(`${name} moved ${moveWord(kind, by)}`);
  };
  const remove = () => {
    setConfirm(null);
    const ids = siblingIds(doc(), kind, id);
    const next = ids[ids.indexOf(id) + 1] ?? ids[ids.indexOf(id) - 1];
    if (editor.edit({ kind: "delete", entity: kind, id })) {
      editor.announce(`The ${word} ${name} is deleted. Ctrl+Z brings it back.`);
      if (next) focusLater(actionsId(next));
    }
  };
  const items: MenuItem[] = [{ label: "Rename", onSelect: () => rename(id) }];
  if (kind === "stage") {
    items.push({ label: "Add a stage after", onSelect: () => add("stage", { after: id }) });
    items.push({ label: "Add a step", onSelect: () => add("step", { parent: id }) });
  } else if (kind === "step") {
    items.push({ label: "Add a step after", onSelect: () => add("step", { after: id, parent: props.parent }) });
  } else if (kind === "section") {
    items.push({ label: "Add a section after", onSelect: () => add("section", { after: id }) });
    items.push({ label: "Add a lane…", onSelect: () => setAddingLane(true) });
  } else {
    items.push({ label: "Add a lane after…", onSelect: () => setAddingLane(true) });
  }
  items.push(
    { label: `Move ${moveWord(kind, -1)}`, onSelect: () => move(-1) },
    { label: `Move ${moveWord(kind, 1)}`, onSelect: () => move(1) },
    {
      label: `Delete the ${word}`,
      onSelect: () => {
        const taken = goesWith(doc(), kind, id);
        if (taken) setConfirm(taken);
        else remove();
      },
    },
  );
  return (
    <>
      {renaming ? (
        <InlineText
          value={name}
          label={`Name of the ${word}`}
          className={props.className}
          onDone={(value) => {
            rename(null);
            if (value !== null) editor.edit({ kind: "rename", entity: kind, id, name: value });
            focusLater(actionsId(id)); // the field goes: the keyboard stays on this name
          }}
        />
      ) : (
        <span className={props.className} onDoubleClick={() => rename(id)}>
          {name}
        </span>
      )}
      <ActionsMenu id={actionsId(id)} label={`${capital(word)} ${name}: actions`} items={items} />
      {refusal && (
        <span className="refusal" role="alert">
          {refusal}
        </span>
      )}
      {addingLane && (
        <AddLaneDialog
          section={kind === "section" ? id : (props.parent ?? "")}
          after={kind === "lane" ? id : null}
          kind={props.laneKind}
          onClose={() => setAddingLane(false)}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title={`Delete the ${word} “${name}”?`}
          body={`Its ${confirm} go with it. Undo (Ctrl+Z) brings them back.`}
          confirm={`Delete the ${word}`}
          danger
          onConfirm={remove}
          onCancel={() => setConfirm(null)}
        />
      )}
    </>
  );
}

function moveWord(kind: Structure, by: -1 | 1): string {
  if (SIDEWAYS.has(kind)) return by < 0 ? "left" : "right";
  return by < 0 ? "up" : "down";
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
