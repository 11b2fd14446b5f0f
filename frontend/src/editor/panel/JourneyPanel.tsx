// "Journey details": the journey's own fields (title, owner, status, state, review-by, ...),
// its personas and its channels, edited in the side panel (only for someone who may edit).
// Each change is one edit, as in a card's panel; undo takes back any of them.
import { useEffect, useState } from "react";
import { must } from "../../api/client";
import type { JourneyDoc, Persona } from "../../api/journey";
import { newEntityId } from "../../editing/ops";
import { useJourney } from "../../state/journey";
import { useSession } from "../../state/session";
import { useEditor } from "../EditorContext";
import {
  channelId,
  channelInUse,
} from "./choices";
import {
  CHANNEL_MODE,
  CHANNEL_NAME,
  type Change,
  type FieldSpec,
  JOURNEY_FIELDS,
  PERSONA_FIELDS,
  newPersona,
  stateChange,
} from "./fields";
import {
  EntityRefusal,
  FieldFrame,
  PanelField,
  type Subject,
  fieldId,
  useSend,
} from "./PanelField";
import { focusLater } from "../grid/ui";
import { SidePanel } from "../SidePanel";
import "./panel.css";
import { LibraryPersonas } from "../../team/LibraryPersonas";

const JOURNEY: Subject = { entity: "journey", id: null };

/** The workspace's current-state maps, which a future-state map may improve. */
function useCurrentMaps(wanted: boolean, self: string): { id: string; title: string }[] {
  const api = useSession((s) => s.api);
  const workspace = useJourney((s) => s.server?.workspaceId ?? null);
  const [maps, setMaps] = useState<{ id: string; title: string }[]>([]);
  useEffect(() => {
    if (!wanted || !workspace) return;
    let live = true;
    void must(
      api.GET("/api/workspaces/{workspace_id}/journeys", {
        params: { path: { workspace_id: workspace }, query: { state: "current", limit: 200 } },
      }),
    )
      .then((page) => {
        if (!live) return;
        setMaps(page.items.filter((j) => j.id !== self).map(({ id, title }) => ({ id, title })));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, wanted, workspace, self]);
  return maps;
}

function StateFields({ doc, spec }: { doc: JourneyDoc; spec: FieldSpec }) {
  const send = useSend();
  const [wantFuture, setWantFuture] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const future = wantFuture || doc.state === "future";
  const maps = useCurrentMaps(future, doc.id);
  const editor = useEditor();
  const id = fieldId(JOURNEY, "current_journey");
  const refusal = editor?.refusalFor({ entity: "journey", id: null, field: "current_journey" });
  const chooseState = (state: string): Change => {
    if (state === "future" && doc.state !== "future" && !doc.current_journey) {
      setWantFuture(true); // sent once the current map is chosen (the server wants both)
      return null;
    }
    setWantFuture(false);
    return stateChange(doc, state, doc.current_journey ?? null);
  };
  return (
    <>
      <PanelField
        subject={JOURNEY}
        spec={spec}
        value={doc.state}
        shown={future ? "future" : "current"}
        change={chooseState}
      />
      {future && (
        <FieldFrame
          id={id}
          label="Improves the current map"
          help={doc.state === "future" ? undefined : "Choose it to make this a future-state map"}
          message={problem ?? refusal}
        >
          {(describedBy, invalid) => (
            <select
              id={id}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              value={doc.current_journey ?? ""}
              onChange={(e) => {
                const wrong = send(stateChange(doc, "future", e.target.value || null));
                setProblem(wrong);
                if (!wrong) setWantFuture(false);
              }}
            >
              <option value="">Choose a map…</option>
              {doc.current_journey && !maps.some((m) => m.id === doc.current_journey) && (
                <option value={doc.current_journey}>{doc.current_journey}</option>
              )}
              {maps.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
      )}
    </>
  );
}

function PersonaFields({ persona, index }: { persona: Persona; index: number }) {
  const editor = useEditor()!;
  const subject: Subject = { entity: "persona", id: persona.id };
  const name = persona.name ?? `Persona ${index + 1}`;
  return (
    <fieldset className="panel-item" data-persona={persona.id}>
      <legend>{name}</legend>
      {PERSONA_FIELDS.map((spec) => (
        <PanelField
          key={spec.field}
          subject={subject}
          spec={spec}
          value={(persona as unknown as Record<string, unknown>)[spec.field]}
        />
      ))}
      <button
        type="button"
        className="danger-text"
        onClick={() => {
          if (editor.edit({ kind: "delete", entity: "persona", id: persona.id }))
            editor.announce(`Persona ${name} deleted. Ctrl+Z brings it back.`);
        }}
      >
        Delete persona {name}
      </button>
      <EntityRefusal subject={subject} />
    </fieldset>
  );
}


function ChannelFields(props: { channel: JourneyDoc["channels"][number]; doc: JourneyDoc }) {
  const { channel } = props;
  const editor = useEditor()!;
  const [problem, setProblem] = useState<string | null>(null);
  const subject: Subject = { entity: "channel", id: channel.id };
  return (
    <fieldset className="panel-item" data-channel={channel.id}>
      <legend>{channel.name}</legend>
      <div className="panel-row">
        <PanelField
          subject={subject}
          spec={CHANNEL_NAME}
          value={channel.name}
          change={(text) => {
            const name = text.trim();
            if (!name) return { error: "A channel needs a name." };
            if (name === channel.name) return null;
            return { op: { kind: "rename", entity: "channel", id: channel.id, name } };
          }}
        />
        <PanelField subject={subject} spec={CHANNEL_MODE} value={channel.mode} />
      </div>
      <button
        type="button"
        className="danger-text"
        aria-describedby={problem ? `${fieldId(subject, "delete")}-message` : undefined}
        onClick={() => {
          const used = channelInUse(props.doc, channel.id);
          setProblem(used);
          if (used) return;
          if (editor.edit({ kind: "delete", entity: "channel", id: channel.id }))
            editor.announce(`Channel ${channel.name} deleted. Ctrl+Z brings it back.`);
        }}
      >
        Delete channel {channel.name}
      </button>
      {problem && (
        <p id={`${fieldId(subject, "delete")}-message`} className="refusal pf-message" role="alert">
          {problem}
        </p>
      )}
      <EntityRefusal subject={subject} />
    </fieldset>
  );
}

function AddChannel() {
  const editor = useEditor()!;
  const [name, setName] = useState("");
  const [mode, setMode] = useState("digital");
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null); // its refusal, if any, shows here
  const refused = added
    ? editor.refusalFor({ entity: "channel", id: added, field: null })
    : undefined;
  const add = () => {
    const text = name.trim();
    if (!text) {
      setProblem("Type the new channel's name first.");
      return;
    }
    const id = channelId(text);
    if (editor.edit({ kind: "add", entity: "channel", id, value: { name: text, mode } })) {
      editor.announce(`Channel ${text} added`);
      setAdded(id);
      setName("");
      setProblem(null);
    }
  };
  return (
    <div className="panel-row">
      <FieldFrame id="new-channel-name" label="New channel" message={problem ?? refused}>
        {(describedBy) => (
          <input
            id="new-channel-name"
            type="text"
            value={name}
            aria-describedby={describedBy}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
          />
        )}
      </FieldFrame>
      <FieldFrame id="new-channel-mode" label="Its mode">
        {() => (
          <select id="new-channel-mode" value={mode} onChange={(e) => setMode(e.target.value)}>
            <option value="digital">Digital</option>
            <option value="physical">Physical</option>
          </select>
        )}
      </FieldFrame>
      <button type="button" onClick={add}>
        Add channel
      </button>
    </div>
  );
}

export function JourneyPanel(props: { doc: JourneyDoc; onClose: () => void }) {
  const { doc } = props;
  const editor = useEditor()!;
  const addPersona = () => {
    const id = newEntityId("persona");
    const after = doc.personas.at(-1)?.id ?? null;
    const value = newPersona("New persona");
    if (editor.edit({ kind: "add", entity: "persona", id, value, after })) {
      editor.announce("Persona added");
      focusLater(fieldId({ entity: "persona", id }, "name"));
    }
  };
  return (
    <SidePanel
      id="journey-panel"
      title="Journey details"
      closeLabel="Close the journey's details"
      onClose={props.onClose}
    >
      <div className="panel-form">
        {JOURNEY_FIELDS.map((spec) =>
          spec.field === "state" ? (
            <StateFields key={spec.field} doc={doc} spec={spec} />
          ) : (
            <PanelField
              key={spec.field}
              subject={JOURNEY}
              spec={spec}
              value={(doc as unknown as Record<string, unknown>)[spec.field]}
            />
          ),
        )}
      </div>
      <section className="panel-section" aria-labelledby="journey-personas">
        <h3 id="journey-personas">Personas</h3>
        {doc.personas.map((p, i) => (
          <PersonaFields key={p.id} persona={p} index={i} />
        ))}
        <button type="button" onClick={addPersona}>
          + Add a persona
        </button>
        <LibraryPersonas doc={doc} />
      </section>
      <section className="panel-section" aria-labelledby="journey-channels">
        <h3 id="journey-channels">Channels</h3>
        <p className="pf-help">
          The journey&apos;s own channels, beside the built-in ones (website, email, store, …).
        </p>
        {doc.channels.map((c) => (
          <ChannelFields key={c.id} channel={c} doc={doc} />
        ))}
        <AddChannel />
      </section>
    </SidePanel>
  );
}

