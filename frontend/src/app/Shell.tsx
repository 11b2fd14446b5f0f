import { type ReactNode, useState } from "react";
import { messageOf } from "../api/problem";
import { MentionsLink } from "../comments/MentionsPage";
import { useJourney } from "../state/journey";
import { useSession } from "../state/session";
import { Link } from "./Link";
import { paths, useRouter } from "./router";

/** The frame of a signed-in page: the app's name, who is signed in, signing out. */
export function Shell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { user, signOut } = useSession();
  const navigate = useRouter((s) => s.navigate);
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
          {user && <MentionsLink />}
          {user && <span className="who">{user.display_name}</span>}
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
