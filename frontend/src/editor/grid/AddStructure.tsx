// "Add a stage" and "Add a section" at the end of the map: how an empty map starts, and the
// one way to add a stage or section last (the menus add after a given one).
import { useJourney } from "../../state/journey";
import { useEditor } from "../EditorContext";
import { type Structure, addStructure } from "../structure";
import { useGridUi } from "./ui";

export function AddStructure() {
  const editor = useEditor();
  if (!editor) return null;
  const add = (kind: Structure) => {
    const doc = useJourney.getState().doc!;
    const list = kind === "stage" ? doc.stages : doc.sections;
    const op = addStructure(kind, `New ${kind}`, { after: list.at(-1)?.id ?? null });
    if (editor.edit(op)) useGridUi.getState().rename(op.id);
  };
  return (
    <div className="add-structure" role="group" aria-label="Add to the map">
      <button type="button" onClick={() => add("stage")}>
        + Stage
      </button>
      <button type="button" onClick={() => add("section")}>
        + Section
      </button>
    </div>
  );
}
