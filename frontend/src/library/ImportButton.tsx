// Import a journey file (YAML or JSON) as a new journey of the workspace, through the server's
// upload route; its refusal lists every problem with its line.
// TODO(XLSX import): the spreadsheet route (`journeymap import` in the CLI) is not in the API
// yet; add .xlsx here when it is.
import { useRef, useState } from "react";
import { must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { useSession } from "../state/session";

export function ImportButton(props: {
  workspaceId: string;
  onImported: (id: string, title: string) => void;
}) {
  const api = useSession((s) => s.api);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[] | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setProblems(null);
    try {
      const made = await must(
        api.POST("/api/workspaces/{workspace_id}/journeys/import", {
          params: { path: { workspace_id: props.workspaceId } },
          body: { file } as unknown as never,
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file, file.name);
            return form;
          },
        }),
      );
      const title = typeof made.document.title === "string" ? made.document.title : made.id;
      props.onImported(made.id, title);
    } catch (error) {
      const listed = error instanceof ApiError ? error.problem.problems : undefined;
      setProblems(listed?.length ? [`${file.name}:`, ...listed] : [`${file.name}: ${messageOf(error)}`]);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  return (
    <div className="import">
      <input
        ref={input}
        id="import-file"
        type="file"
        className="visually-hidden"
        accept=".yaml,.yml,.json,application/yaml,application/json"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <label htmlFor="import-file" className="button" aria-disabled={busy}>
        {busy ? "Importing…" : "Import a journey file…"}
      </label>
      {problems && (
        <div className="form-error" role="alert">
          <p>Not imported: the file has problems.</p>
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
