// The panel beside the map (a card's, the journey's details): its heading takes the focus when
// it opens, Escape or the close button closes it.
import { type ReactNode, useEffect, useRef } from "react";

export function SidePanel(props: {
  id: string;
  title: ReactNode;
  closeLabel: string;
  onClose: () => void;
  /** What the heading's focus follows: a new value (another card) focuses it again. */
  focusKey?: string;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.focusKey]);
  return (
    <aside
      className="side-panel"
      id={props.id}
      aria-labelledby={`${props.id}-title`}
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onClose();
      }}
    >
      <div className="panel-head">
        <h2 id={`${props.id}-title`} ref={heading} tabIndex={-1}>
          {props.title}
        </h2>
        <button type="button" onClick={props.onClose} aria-label={props.closeLabel}>
          ✕
        </button>
      </div>
      {props.children}
    </aside>
  );
}
