import { type ReactNode, useState } from "react";
import { messageOf } from "../api/problem";
import { MentionsLink } from "../comments/MentionsPage";
import { useJourney } from "../state/journey";
import { useLibrary } from "../state/library";
import { useSession } from "../state/session";
import { Link } from "./Link";
import { paths, useRouter } from "./router";

/** The frame of a signed-in page: the app's name, who is signed in, signing out. */
export function Shell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { user, signOut } = useSession();
  const navigate = useRouter((s) => s.navigate);
  const route = useRouter((s) => s.route);
  // The workspace the page is about, for its Members and Personas links.
  const journeyWorkspace = useJourney((s) => s.server?.workspaceId);
  const lastWorkspace = useLibrary((s) => s.workspaceId);
  const workspace = "workspaceId" in route ? route.workspaceId : route.page === "journey" ? journeyWorkspace : lastWorkspace;
  const [error, setError] = useState<string | null>(null);
  const out = async () => {
    try {
      await signOut();
      useJourney.getState().clear(); // no queue goes on sending for someone signed out
      navigate(paths.signIn(), true);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <header className="topbar">
        <Link href={paths.home()} className="brand">
          journeymap
        </Link>
        <div className="topbar-end">
          {error && (
            <span className="form-error inline" role="alert">
              {error}
            </span>
          )}
          {workspace && (
            <nav className="topbar-nav" aria-label="Workspace">
              <Link href={paths.members(workspace)} className="topbar-link">
                Members
              </Link>
              <Link href={paths.personas(workspace)} className="topbar-link">
                Personas
              </Link>
            </nav>
          )}
          {user && <MentionsLink />}
          {user && <span className="who">{user.display_name}</span>}
          <Link href={paths.account()} className="topbar-link">
            Account
          </Link>
          <button type="button" onClick={() => void out()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className={wide ? "page wide" : "page"} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
