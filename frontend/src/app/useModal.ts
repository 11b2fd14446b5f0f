import { type RefObject, useEffect } from "react";

/** Shows a <dialog> as modal while the component is mounted (focus kept inside, Escape
 * cancels), and closes it when it goes, so that a dialog is open exactly while it is drawn. */
export function useModal(ref: RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, [ref]);
}
