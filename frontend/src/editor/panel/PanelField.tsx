// One field of the side panel as a form control with its label: a text field sends its change
// when one leaves it or presses Enter (never on each keystroke), a select or a checkbox when
// it changes. What is wrong with the typing (said here), or the server's refusal of the last
// change (rolled back by the store), shows right under the field.
import { type ReactNode, useState } from "react";
import type { EntityKind } from "../../editing/ops";
import { useEditor } from "../EditorContext";
import {
  type Change,
  type FieldSpec,
  type OptionGroup,
  changeOf,
  fieldText,
  rowsFor,
} from "./fields";

export interface Subject {
  entity: EntityKind | "journey";
  id: string | null;
}

/** A DOM id for a field of an entity (ids are letters, digits, '-', '_' and '.'). */
export function fieldId(subject: Subject, field: string): string {
  return `pf-${subject.entity}-${subject.id ?? "journey"}-${field}`;
}

/** Send a change as one edit; the message instead, when the change is one (nothing sent). */
export function useSend(): (change: Change) => string | null {
  const editor = useEditor();
  return (change) => {
    if (!editor || change === null) return null;
    if ("error" in change) return change.error;
    // An edit that cannot apply on screen (its card was just deleted by someone) keeps the
    // draft and says so; the edit bar has the reason.
    return editor.edit(change.op) ? null : "That change could not be made.";
  };
}

/** The label, the help line, the control, and the message under it. */
export function FieldFrame(props: {
  id: string;
  label: string;
  help?: string;
  message?: string | null;
  group?: boolean; // a fieldset of checkboxes: the label is its legend
  inline?: boolean; // a checkbox: the control first, its label beside it
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const helpId = props.help ? `${props.id}-help` : undefined;
  const messageId = props.message ? `${props.id}-message` : undefined;
  const describedBy = [helpId, messageId].filter(Boolean).join(" ") || undefined;
  const message = props.message ? (
    <p id={messageId} className="refusal pf-message" role="alert">
      {props.message}
    </p>
  ) : null;
  const help = props.help ? (
    <span id={helpId} className="pf-help">
      {props.help}
    </span>
  ) : null;
  if (props.group) {
    return (
      <fieldset className="pf pf-group" aria-describedby={describedBy}>
        <legend className="pf-label">{props.label}</legend>
        {help}
        {props.children(describedBy, Boolean(props.message))}
        {message}
      </fieldset>
    );
  }
  if (props.inline) {
    return (
      <div className="pf">
        <div className="pf-inline">
          {props.children(describedBy, Boolean(props.message))}
          <label htmlFor={props.id}>{props.label}</label>
        </div>
        {help}
        {message}
      </div>
    );
  }
  return (
    <div className="pf">
      <label className="pf-label" htmlFor={props.id}>
        {props.label}
      </label>
      {help}
      {props.children(describedBy, Boolean(props.message))}
      {message}
    </div>
  );
}

function Options({ groups }: { groups: OptionGroup[] }) {
  return (
    <>
      {groups.map((g, i) =>
        g.label === null ? (
          g.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))
        ) : (
          <optgroup key={`${g.label}-${i}`} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ),
      )}
    </>
  );
}

/** One field of an entity. `change` turns the control's text into what to send (by default
 * one `set` of the field); `shown` is what the control shows (by default the value as text). */
export function PanelField(props: {
  subject: Subject;
  spec: FieldSpec;
  value: unknown;
  options?: OptionGroup[];
  change?: (text: string) => Change;
  shown?: string;
}) {
  const { subject, spec } = props;
  const editor = useEditor();
  const send = useSend();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = fieldId(subject, spec.field);
  const refusal = editor?.refusalFor({ entity: subject.entity, id: subject.id, field: spec.field });
  const shown = props.shown ?? fieldText(spec, props.value);
  const text = draft ?? shown;

  const commit = (value: string) => {
    const change = props.change
      ? props.change(value)
      : changeOf(subject.entity, subject.id, spec, value, props.value);
    const wrong = send(change);
    setProblem(wrong);
    if (!wrong) setDraft(null);
  };
  const textKeys = (e: React.KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (e.key === "Escape" && draft !== null) {
      e.preventDefault();
      e.stopPropagation(); // the first Escape puts the value back; the next closes the panel
      setDraft(null);
      setProblem(null);
      return;
    }
    if (e.key !== "Enter") return;
    const newline =
      spec.control === "lines"
        ? !(e.ctrlKey || e.metaKey)
        : spec.control === "textarea" && e.shiftKey;
    if (newline) return;
    e.preventDefault();
    commit(e.currentTarget.value);
  };

  return (
    <FieldFrame
      id={id}
      label={spec.label}
      help={spec.help}
      message={problem ?? refusal}
      inline={spec.control === "checkbox"}
    >
      {(describedBy, invalid) => {
        const common = {
          id,
          "aria-describedby": describedBy,
          "aria-invalid": invalid || undefined,
        };
        switch (spec.control) {
          case "select":
            return (
              <select {...common} value={text} onChange={(e) => commit(e.target.value)}>
                <Options groups={props.options ?? spec.options ?? []} />
              </select>
            );
          case "checkbox":
            return (
              <input
                {...common}
                type="checkbox"
                className="pf-box"
                checked={text === "true"}
                onChange={(e) => commit(e.target.checked ? "true" : "")}
              />
            );
          case "textarea":
          case "lines":
            return (
              <textarea
                {...common}
                rows={rowsFor(text, spec.control === "lines" ? 3 : 2)}
                value={text}
                onChange={(e) => setDraft(e.target.value)}
                onBlur={(e) => draft !== null && commit(e.target.value)}
                onKeyDown={textKeys}
              />
            );
          default:
            return (
              <input
                {...common}
                type={spec.control === "date" ? "date" : "text"}
                inputMode={spec.shape === "number" ? "decimal" : undefined}
                value={text}
                onChange={(e) => setDraft(e.target.value)}
                onBlur={(e) => draft !== null && commit(e.target.value)}
                onKeyDown={textKeys}
              />
            );
        }
      }}
    </FieldFrame>
  );
}

/** A list of checkboxes (an opportunity's pain points): each one checked or unchecked is
 * one change. */
export function CheckboxesField(props: {
  subject: Subject;
  field: string;
  label: string;
  help?: string;
  choices: { value: string; label: string }[];
  checked: string[];
  change: (value: string, on: boolean) => Change;
  empty: string;
}) {
  const editor = useEditor();
  const send = useSend();
  const [problem, setProblem] = useState<string | null>(null);
  const id = fieldId(props.subject, props.field);
  const refusal = editor?.refusalFor({
    entity: props.subject.entity,
    id: props.subject.id,
    field: props.field,
  });
  return (
    <FieldFrame id={id} label={props.label} help={props.help} message={problem ?? refusal} group>
      {() =>
        props.choices.length === 0 ? (
          <p className="muted pf-help">{props.empty}</p>
        ) : (
          <ul className="pf-checks">
            {props.choices.map((c) => (
              <li key={c.value}>
                <label>
                  <input
                    type="checkbox"
                    checked={props.checked.includes(c.value)}
                    onChange={(e) => setProblem(send(props.change(c.value, e.target.checked)))}
                  />
                  <span>{c.label}</span>
                </label>
              </li>
            ))}
          </ul>
        )
      }
    </FieldFrame>
  );
}

/** The server's refusal of an edit of a whole entity (a delete, an add), where it is drawn. */
export function EntityRefusal({ subject }: { subject: Subject }) {
  const editor = useEditor();
  const refusal = editor?.refusalFor({ entity: subject.entity, id: subject.id, field: null });
  if (!refusal) return null;
  return (
    <p className="refusal pf-message" role="alert">
      {refusal}
    </p>
  );
}
