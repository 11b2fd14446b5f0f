// Export through the server's routes: the posters (PNG, PDF, SVG, HTML), the journey file
// (YAML) and the cards as a spreadsheet (XLSX), each as a download. The session cookie goes
// with a plain link, so the browser saves the server's answer as it is.
import { useState } from "react";

const FORMATS: { label: string; href: (id: string) => string; hint: string }[] = [
  { label: "PNG", href: (id) => `/api/journeys/${id}/render.png?download=true&scale=2`, hint: "image" },
  { label: "PDF", href: (id) => `/api/journeys/${id}/render.pdf?download=true`, hint: "to print" },
  { label: "SVG", href: (id) => `/api/journeys/${id}/render.svg?download=true`, hint: "vector" },
  { label: "HTML", href: (id) => `/api/journeys/${id}/render.html?download=true`, hint: "one page" },
  { label: "YAML", href: (id) => `/api/journeys/${id}/export?format=yaml`, hint: "journey file" },
  { label: "XLSX", href: (id) => `/api/journeys/${id}/cards.xlsx`, hint: "cards, to edit in a spreadsheet" },
];

export function ExportMenu({ journeyId }: { journeyId: string }) {
  const [open, setOpen] = useState(false);
  const id = encodeURIComponent(journeyId);
  return (
    <div className="menu">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="export-menu"
        onClick={() => setOpen(!open)}
      >
        Export
      </button>
      {open && (
        <ul id="export-menu" className="menu-list" aria-label="Export formats">
          {FORMATS.map((f) => (
            <li key={f.label}>
              <a href={f.href(id)} download onClick={() => setOpen(false)}>
                {f.label} <span className="muted">{f.hint}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
