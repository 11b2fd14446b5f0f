import { Link } from "../app/Link";
import "./present.css";

/** The map's "Present" button (a link: it opens in a new tab too). */
export function PresentLink({ href }: { href: string }) {
  return (
    <Link href={href} className="button-link">
      Present
    </Link>
  );
}
