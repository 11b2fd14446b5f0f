// A button that opens a small panel below it (the view bar's menus): Escape or a click
// elsewhere closes it, and the focus goes back to the button.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export function Popover(props: {
  label: ReactNode;
  /** The button's accessible name when its label is not words enough. */
  name?: string;
  className?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [refocus, setRefocus] = useState(false); // closed from inside: the focus goes back
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    setRefocus(true);
  };
  useEffect(() => {
    if (!open && refocus) button.current?.focus();
  }, [open, refocus]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) {
        setRefocus(false);
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [open]);
  return (
    <div
      className="menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={props.name}
        onClick={() => {
          setRefocus(false);
          setOpen(!open);
        }}
      >
        {props.label}
      </button>
      {open && (
        <div id={id} className={`menu-list view-popover ${props.className ?? ""}`}>
          {props.children(close)}
        </div>
      )}
    </div>
  );
}
