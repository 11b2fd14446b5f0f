// The editor's bar: whether every change is saved (always visible, and said to screen readers
// as it changes), undo and redo, the shortcuts, and a retry when the server cannot be reached.
import { useEffect, useRef } from "react";
import { useJourney } from "../state/journey";
import { SHORTCUTS, useShortcutsDialog } from "./shortcuts";
import { isShown } from "./structure";

export function EditBar() {
  const save = useJourney((s) => s.save);
  const canUndo = useJourney((s) => s.canUndo);
  const canRedo = useJourney((s) => s.canRedo);
  const undo = useJourney((s) => s.undo);
  const redo = useJourney((s) => s.redo);
  const notice = useJourney((s) => s.notice);
  const queue = useJourney((s) => s.queue);
  const showHelp = useShortcutsDialog((s) => s.show);
  const doc = useJourney((s) => s.doc);
  const refusals = useJourney((s) => s.refusals);
  // A refused edit whose thing is not on screen (a card that was never added) is said here.
  const unplaced = doc ? refusals.filter((r) => !isShown(doc, r.target)).at(-1) : undefined;
  return (
    <div className="edit-bar" role="group" aria-label="Editing">
      <span className={`save-status ${save.state}`} role="status" data-state={save.state}>
        {save.text}
      </span>
      {(save.state === "offline" || save.state === "blocked") && (
        <button type="button" onClick={() => void queue?.wake()}>
          Retry now
        </button>
      )}
      <button type="button" onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z">
        Undo
      </button>
      <button
        type="button"
        onClick={redo}
        disabled={!canRedo}
        aria-keyshortcuts="Control+Shift+Z"
      >
        Redo
      </button>
      <button type="button" onClick={() => showHelp(true)} aria-keyshortcuts="?">
        Shortcuts
      </button>
      {unplaced && (
        <span className="form-error inline" role="alert">
          Not saved: {unplaced.message}{" "}
          <button type="button" className="link" onClick={() => queue?.dismiss(unplaced.target)}>
            Dismiss
          </button>
        </span>
      )}
      {notice && (
        <span className="form-error inline" role="alert">
          {notice}
        </span>
      )}
      <ShortcutsDialog />
    </div>
  );
}

function ShortcutsDialog() {
  const open = useShortcutsDialog((s) => s.open);
  const show = useShortcutsDialog((s) => s.show);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={() => show(false)}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-buttons">
        <button type="button" onClick={() => show(false)} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
