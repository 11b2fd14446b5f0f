"""The journey poster: layout geometry, the SVG writer, and PNG/PDF/HTML export."""
