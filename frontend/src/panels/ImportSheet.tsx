// Cards from a spreadsheet into the open journey: the XLSX that "Export → XLSX" downloads,
// edited in Excel or LibreOffice, sent back through the server's sheet route. Cards match by
// id (a new row adds a card); a sheet with a bad row changes nothing and every problem is listed.
import { useRef, useState } from "react";
import { must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { useSession } from "../state/session";

export function ImportSheet(props: { journeyId: string; onImported: () => void }) {
  const api = useSession((s) => s.api);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[] | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setProblems(null);
    setSaid(null);
    try {
      const done = await must(
        api.POST("/api/journeys/{journey_id}/cards.xlsx", {
          params: { path: { journey_id: props.journeyId } },
          body: { file } as unknown as never,
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file, file.name);
            return form;
          },
        }),
      );
      setSaid(
        `${file.name}: ${done.added} added, ${done.updated} updated` +
          (done.deleted ? `, ${done.deleted} deleted` : "") +
          ".",
      );
      props.onImported();
    } catch (error) {
      const listed = error instanceof ApiError ? error.problem.problems : undefined;
      setProblems(listed?.length ? listed : [`${file.name}: ${messageOf(error)}`]);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  return (
    <div className="import">
      <input
        ref={input}
        id="import-sheet"
        type="file"
        className="visually-hidden"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <label htmlFor="import-sheet" className="button" aria-disabled={busy}>
        {busy ? "Importing…" : "Import XLSX…"}
      </label>
      {said && (
        <p className="notice" role="status">
          {said}
        </p>
      )}
      {problems && (
        <div className="form-error" role="alert">
          <p>Not imported: nothing was changed.</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
