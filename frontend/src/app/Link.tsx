import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { useRouter } from "./router";

/** A link inside the app: a real <a href> (opens in a new tab, copies), routed in place. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const navigate = useRouter((s) => s.navigate);
  const { href, onClick, ...rest } = props;
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey;
    if (!event.defaultPrevented && plain && !event.altKey) {
      event.preventDefault();
      navigate(href);
    }
  };
  return <a href={href} onClick={click} {...rest} />;
}
