// The workspace's persona library (GET /api/workspaces/{id}/personas), read for the personas
// page and the editor's "from the library" list.
import { useEffect, useState } from "react";
import { must } from "../api/client";
import { messageOf } from "../api/problem";
import type { components } from "../api/schema";
import { newPersona } from "../editor/panel/fields";
import { useSession } from "../state/session";

export type LibraryPersona = components["schemas"]["LibraryPersonaPublic"];

export function usePersonaLibrary(workspaceId: string | undefined): {
  personas: LibraryPersona[] | null;
  error: string | null;
} {
  const api = useSession((s) => s.api);
  const [personas, setPersonas] = useState<LibraryPersona[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!workspaceId) return;
    let live = true;
    must(api.GET("/api/workspaces/{workspace_id}/personas", { params: { path: { workspace_id: workspaceId } } }))
      .then((found) => live && setPersonas(found))
      .catch((failure: unknown) => live && setError(messageOf(failure)));
    return () => {
      live = false;
    };
  }, [api, workspaceId]);
  return { personas, error };
}

/** A library persona's fields as an added persona's value (the id goes beside it), with the
 * empty lists a new persona has where the library leaves them out (the map draws them at once,
 * before the server's answer). */
export function addedValue(persona: LibraryPersona): Record<string, unknown> {
  const value: Record<string, unknown> = { ...newPersona(persona.id), ...persona.value };
  delete value.id;
  return value;
}
