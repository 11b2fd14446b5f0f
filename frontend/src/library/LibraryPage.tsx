// The workspace's journey library: search, the API's filters and sorts, switch workspace, a new
// journey from the template gallery or a stage framework, import, duplicate and delete.
import { useEffect, useRef, useState } from "react";
import { Link } from "../app/Link";
import { paths, useRouter } from "../app/router";
import { Shell } from "../app/Shell";
import { PAGE, useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { Filters } from "./Filters";
import { ImportButton } from "./ImportButton";
import { JourneyList } from "./JourneyList";
import { TemplateGallery } from "./TemplateGallery";

export function LibraryPage({ workspaceId }: { workspaceId: string }) {
  const api = useSession((s) => s.api);
  const navigate = useRouter((s) => s.navigate);
  const lib = useLibrary();
  const { loadWorkspaces, open } = lib;
  const [notice, setNotice] = useState<{ id: string; text: string } | null>(null);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const workspace = lib.workspaces.find((w) => w.id === workspaceId);
  const canEdit = workspace?.role === "editor" || workspace?.role === "owner";

  useEffect(() => {
    void loadWorkspaces(api).catch(() => undefined);
  }, [api, loadWorkspaces]);
  useEffect(() => {
    void open(api, workspaceId);
  }, [api, open, workspaceId]);
  useEffect(() => {
    document.title = `${workspace?.name ?? "Journeys"} · journeymap`;
  }, [workspace?.name]);

  const last = Math.min(lib.offset + PAGE, lib.total);
  return (
    <Shell>
      <div className="library-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {workspace?.name ?? "Journeys"}
          </h1>
          {workspace && <p className="muted">You are {article(workspace.role)} here.</p>}
        </div>
        <div className="library-actions">
          {lib.workspaces.length > 1 && (
            <label className="inline-field">
              <span>Workspace</span>
              <select
                value={workspaceId}
                onChange={(e) => navigate(paths.library(e.target.value))}
              >
                {lib.workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            aria-expanded={galleryOpen}
            aria-controls="gallery"
            onClick={() => setGalleryOpen(!galleryOpen)}
          >
            {galleryOpen ? "Close the gallery" : "New journey…"}
          </button>
          <ImportButton
            workspaceId={workspaceId}
            onImported={(id, title) => {
              setNotice({ id, text: `Imported “${title}”.` });
              void lib.refresh(api);
            }}
          />
        </div>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice.text} <Link href={paths.journey(notice.id)}>Open it</Link>
        </p>
      )}
      {galleryOpen && (
        <div id="gallery">
          <TemplateGallery
            workspaceId={workspaceId}
            canEdit={canEdit}
            onMade={(id, title) => {
              setGalleryOpen(false);
              setNotice({ id, text: `Made “${title}”.` });
              void lib.refresh(api);
            }}
          />
        </div>
      )}
      <Filters key={workspaceId} />
      <div className="results-line" role="status" aria-live="polite">
        {lib.loading
          ? "Searching…"
          : lib.total === 0
            ? "No journeys match."
            : `${lib.offset + 1}–${last} of ${lib.total} journey${lib.total === 1 ? "" : "s"}`}
      </div>
      {lib.error && (
        <p className="form-error" role="alert">
          {lib.error}
        </p>
      )}
      <JourneyList onChanged={(text) => setNotice(text)} />
      {lib.total > PAGE && (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            disabled={lib.offset === 0}
            onClick={() => void lib.page(api, lib.offset - PAGE)}
          >
            Previous
          </button>
          <button
            type="button"
            disabled={last >= lib.total}
            onClick={() => void lib.page(api, lib.offset + PAGE)}
          >
            Next
          </button>
        </nav>
      )}
    </Shell>
  );
}

function article(role: string): string {
  return `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;
}
