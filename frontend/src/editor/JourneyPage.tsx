import { useEffect } from "react";
import { Link } from "../app/Link";
import { paths } from "../app/router";
import { Shell } from "../app/Shell";
import { ExportMenu } from "../panels/ExportMenu";
import { ImportSheet } from "../panels/ImportSheet";
import { SharePanel } from "../panels/SharePanel";
import { useJourney } from "../state/journey";
import { useSession } from "../state/session";
import { MapView } from "./MapView";

export function JourneyPage({ journeyId }: { journeyId: string }) {
  const api = useSession((s) => s.api);
  const ended = useSession((s) => s.ended);
  const { load, doc, server, error, errorStatus, loading, selected, select } = useJourney();

  useEffect(() => {
    void load(api, journeyId);
  }, [api, load, journeyId]);
  useEffect(() => {
    if (errorStatus === 401) ended();
  }, [errorStatus, ended]);
  useEffect(() => {
    if (doc) document.title = `${doc.title} · journeymap`;
  }, [doc]);

  const back = server ? (
    <Link href={paths.library(server.workspaceId)} className="back">
      ← Library
    </Link>
  ) : null;
  return (
    <Shell wide>
      {loading && !doc && <p className="muted page-pad">Loading the map…</p>}
      {error && (
        <div className="page-pad">
          <p className="form-error" role="alert">
            {error}
          </p>
          <Link href={paths.home()}>Back to your journeys</Link>
        </div>
      )}
      {doc && server && server.id === journeyId && (
        <MapView
          doc={doc}
          selected={selected}
          onSelect={select}
          tools={
            <div className="map-actions">
              {back}
              <ExportMenu journeyId={journeyId} />
              <ImportSheet journeyId={journeyId} onImported={() => void load(api, journeyId)} />
              <SharePanel journeyId={journeyId} />
            </div>
          }
        />
      )}
    </Shell>
  );
}
