// The owner's form registering a workspace data source: a file in the server's sources folder
// (a path relative to it), or a database url with no password; and which columns mean what.
import { useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { EMPTY_FORM, definitionOf, type SourceForm as Form } from "./rules";

export function SourceForm({
  workspaceId,
  onAdded,
}: {
  workspaceId: string;
  onAdded: () => void;
}) {
  const api = useSession((s) => s.api);
  const [form, setForm] = useState<Form>(EMPTY_FORM);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) =>
    setForm((was) => ({ ...was, ...patch }));
  const text = (label: string, key: keyof Form, hint?: string) => (
    <label className="measure-field">
      <span>{label}</span>
      <input
        value={form[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        {...(hint ? { placeholder: hint } : {})}
      />
    </label>
  );

  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      await must(
        api.POST("/api/workspaces/{workspace_id}/sources", {
          params: { path: { workspace_id: workspaceId } },
          body: {
            name: form.name.trim(),
            kind: form.kind,
            definition: definitionOf(form),
          },
        }),
      );
      setForm(EMPTY_FORM);
      onAdded();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="measure-form"
      aria-label="Register a data source"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {text("Name", "name", "shop-events")}
      <label className="measure-field">
        <span>Kind</span>
        <select
          value={form.kind}
          onChange={(e) => set({ kind: e.target.value as Form["kind"] })}
        >
          <option value="events">Events</option>
          <option value="feedback">Feedback</option>
        </select>
      </label>
      {form.kind === "events" && (
        <label className="measure-field">
          <span>Reads from</span>
          <select
            value={form.where}
            onChange={(e) => set({ where: e.target.value as Form["where"] })}
          >
            <option value="file">A file in the sources folder</option>
            <option value="database">A database</option>
          </select>
        </label>
      )}
      {form.kind === "feedback" || form.where === "file" ? (
        text("Path in the sources folder", "path", "shop/events.csv")
      ) : (
        <>
          {text(
            "Database url (no password)",
            "url",
            "postgres://analyst@db:5432/shop",
          )}
          {text("Table", "table", "events")}
        </>
      )}
      {text("Customer column", "customer")}
      {text("Timestamp column", "timestamp")}
      {form.kind === "events" ? (
        <>
          {text("Event column", "event")}
          {text("Channel column (optional)", "channel")}
        </>
      ) : (
        <>
          {text("Score column", "score")}
          {text("Comment column", "text")}
          <label className="measure-field">
            <span>Scale</span>
            <select
              value={form.scale}
              onChange={(e) => set({ scale: e.target.value })}
            >
              {["nps", "csat", "ces", "stars"].map((s) => (
                <option key={s} value={s}>
                  {s.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label className="measure-field">
            <span>Placed by</span>
            <select
              value={form.placeBy}
              onChange={(e) =>
                set({ placeBy: e.target.value as Form["placeBy"] })
              }
            >
              <option value="touchpoint">A touchpoint column</option>
              <option value="event">An event column</option>
              <option value="stage">A stage column</option>
              <option value="last_event">The customer&apos;s last event</option>
            </select>
          </label>
          {form.placeBy !== "last_event" && text("Place column", "placeColumn")}
        </>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Register source
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
