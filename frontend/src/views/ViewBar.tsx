// The view bar above the grid: hide and show sections and lanes, filter cards by channel, team
// and persona, and save the view (with the zoom) on the server, for yourself or for the team.
// The rules are views/rules.ts's; saved views views/savedViews.ts's.
import { useMemo, useState } from "react";
import type { JourneyDoc } from "../api/journey";
import { ConfirmDialog } from "../app/ConfirmDialog";
import type { GridModel } from "../editor/model";
import { Popover } from "./Popover";
import {
  ALL,
  cleanView,
  isAll,
  laneShown,
  type SavedView,
  sameView,
  shownCount,
  toView,
  toggled,
  type View,
  viewOptions,
  viewSummary,
} from "./rules";
import { useSavedViews } from "./savedViews";
import "./views.css";

const VIEW_PARAM = "view";

export function ViewBar(props: {
  doc: JourneyDoc;
  model: GridModel;
  shown: GridModel;
  view: View;
  onView: (view: View) => void;
  scale: number;
  onScale: (scale: number) => void;
  /** The journey whose saved views to offer (none on a share link's page). */
  journeyId?: string;
  canShare: boolean;
}) {
  const { doc, view, onView } = props;
  const options = useMemo(() => viewOptions(doc), [doc]);
  const [currentId, setCurrentId] = useState<string>("");
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const here = { ...view, zoom: props.scale };

  const apply = (picked: SavedView | undefined) => {
    setCurrentId(picked?.id ?? "");
    const settings = picked ? cleanView(toView(picked.settings), doc) : ALL;
    onView({ ...settings, zoom: null });
    if (settings.zoom !== null) props.onScale(settings.zoom);
    const url = new URL(window.location.href);
    if (picked) url.searchParams.set(VIEW_PARAM, picked.id);
    else url.searchParams.delete(VIEW_PARAM);
    window.history.replaceState(window.history.state, "", url);
  };
  // A link with ?view=<id> opens with that view, once the list has come.
  const saved = useSavedViews(props.journeyId, (views) => {
    const wanted = new URLSearchParams(window.location.search).get(VIEW_PARAM);
    const found = views.find((v) => v.id === wanted);
    if (found) apply(found);
  });
  const current = saved.views.find((v) => v.id === currentId);
  const changed =
    current !== undefined &&
    !sameView(
      { ...here, zoom: current.settings.zoom == null ? null : props.scale },
      cleanView(toView(current.settings), doc),
    );
  const total = props.model.cardCount;
  const count = shownCount(props.shown);
  const summary = viewSummary(view, doc);
  const set = (change: Partial<View>) => onView({ ...view, ...change });

  return (
    <section className="view-bar" aria-label="View">
      {props.journeyId && (
        <label className="inline-field">
          <span>View</span>
          <select value={currentId} onChange={(e) => apply(saved.views.find((v) => v.id === e.target.value))}>
            <option value="">Everything</option>
            {saved.views.some((v) => v.shared) && (
              <optgroup label="Shared with the team">
                {saved.views
                  .filter((v) => v.shared)
                  .map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.mine ? v.name : `${v.name} (${v.owner_name})`}
                    </option>
                  ))}
              </optgroup>
            )}
            {saved.views.some((v) => !v.shared) && (
              <optgroup label="Yours">
                {saved.views
                  .filter((v) => !v.shared)
                  .map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
        </label>
      )}
      <Popover label="Lanes" name="Lanes shown">
        {() => (
          <div className="view-lanes">
            {doc.sections.map((section) => {
              const hidden = view.hidden_sections.includes(section.id);
              return (
                <fieldset key={section.id}>
                  <legend>
                    <label>
                      <input
                        type="checkbox"
                        checked={!hidden}
                        onChange={(e) => set({ hidden_sections: toggled(view.hidden_sections, section.id, !e.target.checked) })}
                      />
                      {section.name}
                    </label>
                  </legend>
                  {section.lanes.map((lane) => (
                    <label key={lane.id} className={hidden ? "muted" : undefined}>
                      <input
                        type="checkbox"
                        disabled={hidden}
                        checked={laneShown(view, section.id, lane.id)}
                        onChange={(e) => set({ hidden_lanes: toggled(view.hidden_lanes, lane.id, !e.target.checked) })}
                      />
                      {lane.name}
                    </label>
                  ))}
                </fieldset>
              );
            })}
          </div>
        )}
      </Popover>
      <Choices label="Channel" all="All channels" values={options.channels} picked={view.channels} onPick={(channels) => set({ channels })} />
      <Choices label="Team" all="All teams" values={options.teams} picked={view.teams} onPick={(teams) => set({ teams })} />
      {options.personas.length > 0 && (
        <Choices
          label="Persona"
          all="All personas"
          values={options.personas.map((p) => p.id)}
          names={Object.fromEntries(options.personas.map((p) => [p.id, p.name]))}
          picked={view.personas}
          onPick={(personas) => set({ personas })}
        />
      )}
      <p className="view-summary" role="status">
        {count === total ? `All ${total} cards` : `Showing ${count} of ${total} cards`}
        {summary && <span className="muted"> · {summary}</span>}
      </p>
      {!isAll(view) && (
        <button type="button" onClick={() => apply(undefined)}>
          Show everything
        </button>
      )}
      {props.journeyId && (
        <div className="view-saving">
          {current?.mine && changed && (
            <button type="button" onClick={() => void saved.update(current, here)}>
              Update “{current.name}”
            </button>
          )}
          <SaveView
            canShare={props.canShare}
            onSave={async (name, shared) => {
              const made = await saved.save(name, here, shared);
              if (made) apply(made);
              return made !== null;
            }}
          />
          {current && (current.mine || current.shared) && (
            <button
              type="button"
              className="danger-text"
              onClick={() => setDeleting(current)}
            >
              Delete view
            </button>
          )}
          {deleting && (
            <ConfirmDialog
              title="Delete this view?"
              body={`“${deleting.name}” goes for good${deleting.shared ? ", for the whole team" : ""}. The map is not changed.`}
              confirm="Delete view"
              danger
              error={saved.error}
              onCancel={() => setDeleting(null)}
              onConfirm={() =>
                void saved.remove(deleting).then((done) => {
                  if (done) {
                    setDeleting(null);
                    apply(undefined);
                  }
                })
              }
            />
          )}
        </div>
      )}
      {saved.error && (
        <p className="form-error inline" role="alert">
          {saved.error}
        </p>
      )}
    </section>
  );
}

function Choices(props: {
  label: string;
  all: string;
  values: string[];
  names?: Record<string, string>;
  picked: string[];
  onPick: (picked: string[]) => void;
}) {
  const { values, picked } = props;
  const shown = picked.length ? `${props.label}: ${picked.length}` : props.label;
  return (
    <Popover label={shown} name={picked.length ? `${props.label} filter, ${picked.length} chosen` : `${props.label} filter`}>
      {() => (
        <fieldset className="view-choices">
          <legend>{props.label}</legend>
          {values.length === 0 && <p className="muted small">No card names one.</p>}
          {values.map((value) => (
            <label key={value}>
              <input
                type="checkbox"
                checked={picked.includes(value)}
                onChange={(e) => props.onPick(toggled(picked, value, e.target.checked))}
              />
              {props.names?.[value] ?? value}
            </label>
          ))}
          <button type="button" className="link" disabled={picked.length === 0} onClick={() => props.onPick([])}>
            {props.all}
          </button>
        </fieldset>
      )}
    </Popover>
  );
}

function SaveView(props: { canShare: boolean; onSave: (name: string, shared: boolean) => Promise<boolean> }) {
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  return (
    <Popover label="Save view…" className="view-save">
      {(close) => (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void props.onSave(name, shared).then((done) => {
              if (done) {
                setName("");
                close();
              }
            });
          }}
        >
          <label>
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required autoFocus />
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={shared}
              disabled={!props.canShare}
              onChange={(e) => setShared(e.target.checked)}
            />
            <span>Share with the team</span>
          </label>
          <p className="muted small">
            {props.canShare
              ? "Yours only unless shared: a shared view is listed for everyone in the workspace."
              : "Saved for you only: sharing a view with the team needs an editor."}{" "}
            The zoom is saved too.
          </p>
          <button type="submit" className="primary">
            Save
          </button>
        </form>
      )}
    </Popover>
  );
}
