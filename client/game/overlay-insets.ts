/**
 * How much of the village's box the page's overlays take (the toolbar with
 * its seed picker along the bottom, the emote column on the left), so that
 * the scene fits the plot beside them rather than under them. On narrow
 * screens these sit under the village in the page's flow (play.css): no inset.
 */
export interface Insets {
  left: number;
  bottom: number;
}

const overlaying = (el: HTMLElement) => !el.hidden && getComputedStyle(el).position === "absolute" && el.getClientRects().length > 0;

/** Measures now and whenever the stage, the toolbar or the emotes change size; returns the stop function. */
export function watchOverlayInsets(stage: HTMLElement, overlays: { bottom: HTMLElement; left: HTMLElement }, report: (insets: Insets) => void): () => void {
  let last = "";
  const measure = () => {
    const box = stage.getBoundingClientRect();
    const bottom = overlaying(overlays.bottom) ? Math.max(0, box.bottom - overlays.bottom.getBoundingClientRect().top) : 0;
    const left = overlaying(overlays.left) ? Math.max(0, overlays.left.getBoundingClientRect().right - box.left) : 0;
    const key = `${Math.round(left)},${Math.round(bottom)}`;
    if (key === last) return;
    last = key;
    report({ left: Math.round(left), bottom: Math.round(bottom) });
  };
  const observer = new ResizeObserver(measure);
  for (const el of [stage, overlays.bottom, overlays.left]) observer.observe(el);
  measure();
  return () => observer.disconnect();
}
