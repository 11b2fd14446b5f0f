// Zoom of the map: steps for the buttons, and the scale at which the whole map fits its view.
export const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.25, 1.5];
export const MIN_ZOOM = 0.1;

export function fitScale(view: { w: number; h: number }, content: { w: number; h: number }): number {
  if (content.w <= 0 || content.h <= 0) return 1;
  const scale = Math.min(view.w / content.w, view.h / content.h, 1);
  return Math.max(MIN_ZOOM, Math.floor(scale * 100) / 100);
}

export function zoomIn(scale: number): number {
  return ZOOM_STEPS.find((s) => s > scale + 0.001) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
}

export function zoomOut(scale: number): number {
  const lower = ZOOM_STEPS.filter((s) => s < scale - 0.001);
  return lower[lower.length - 1] ?? Math.max(MIN_ZOOM, scale);
}
