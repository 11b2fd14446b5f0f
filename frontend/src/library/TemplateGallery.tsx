// "New journey": the template gallery (each with its persona, stages, lanes and a preview of
// the whole map) and the stage frameworks a blank journey starts from.
import { useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components } from "../api/schema";
import { useSession } from "../state/session";
import { TemplatePreview } from "./TemplatePreview";

type Template = components["schemas"]["TemplatePublic"];
type Framework = components["schemas"]["FrameworkPublic"];

export function TemplateGallery(props: {
  workspaceId: string;
  canEdit: boolean;
  onMade: (id: string, title: string) => void;
}) {
  const api = useSession((s) => s.api);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [frameworks, setFrameworks] = useState<Framework[]>([]);
  const [previewing, setPreviewing] = useState<Template | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([must(api.GET("/api/templates")), must(api.GET("/api/frameworks"))])
      .then(([t, f]) => {
        if (!live) return;
        setTemplates(t);
        setFrameworks(f);
      })
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [api]);

  const make = async (body: { template?: string; framework?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const made = await must(
        api.POST("/api/workspaces/{workspace_id}/journeys", {
          params: { path: { workspace_id: props.workspaceId } },
          body,
        }),
      );
      const title = typeof made.document.title === "string" ? made.document.title : made.id;
      setPreviewing(null);
      props.onMade(made.id, title);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="gallery" aria-labelledby="gallery-title">
      <h2 id="gallery-title">New journey</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <h3>From a template</h3>
      <ul className="gallery-grid" aria-label="Templates">
        {templates.map((t) => (
          <li key={t.name} className="gallery-card">
            <h4>{t.title}</h4>
            <p className="muted small">{t.description}</p>
            <dl className="gallery-facts">
              {t.personas.length > 0 && (
                <>
                  <dt>Persona</dt>
                  <dd>{t.personas.join(", ")}</dd>
                </>
              )}
              <dt>Stages</dt>
              <dd>{t.stages.join(" → ")}</dd>
              <dt>Lanes</dt>
              <dd>
                {t.lanes.length} lanes, {t.cards} cards
              </dd>
            </dl>
            <div className="gallery-buttons">
              <button
                type="button"
                onClick={() => setPreviewing(t)}
                aria-label={`Preview ${t.title}`}
              >
                Preview
              </button>
              {props.canEdit && (
                <button
                  type="button"
                  className="primary"
                  disabled={busy}
                  onClick={() => void make({ template: t.name })}
                  aria-label={`Use the template ${t.title}`}
                >
                  Use
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <h3>From a stage framework</h3>
      <ul className="gallery-grid" aria-label="Stage frameworks">
        {frameworks.map((f) => (
          <li key={f.name} className="gallery-card">
            <h4>{f.name}</h4>
            <p className="muted small">{f.description}</p>
            <ol className="framework-stages">
              {f.stages.map((s) => (
                <li key={s.id}>
                  <strong>{s.name}</strong> <span className="muted">{s.description}</span>
                </li>
              ))}
            </ol>
            <p className="muted small">Lanes: {f.lanes.join(", ")}</p>
            {props.canEdit && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void make({ framework: f.name })}
                aria-label={`Start from the ${f.name} framework`}
              >
                Start from {f.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      {previewing && (
        <TemplatePreview
          name={previewing.name}
          title={previewing.title}
          canUse={props.canEdit}
          onUse={() => void make({ template: previewing.name })}
          onClose={() => setPreviewing(null)}
        />
      )}
    </section>
  );
}
