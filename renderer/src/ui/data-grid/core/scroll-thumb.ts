/**
 * The grid draws its own vertical scrollbar. The browser's thumb moves through the *physical*
 * scroll height (at most 15 million px for any number of rows), so near the end of a million
 * rows one pixel of thumb is ~1,400 rows, and a drag whose last pointer step lands outside the
 * window stops wherever the previous step left it. Our thumb maps straight onto the *virtual*
 * position, holds the pointer (pointer capture) for the whole drag, and clamps: a pointer
 * anywhere past the end of the track means the last row, wherever it leaves the window.
 */
export const MIN_THUMB_PX = 24;

export interface ThumbGeometry {
  /** The thumb's top, in px from the top of the track. */
  top: number;
  height: number;
  /** How far the thumb can move (track minus thumb). */
  travel: number;
  /** Whether there is anything to scroll at all. */
  scrollable: boolean;
}

/** Where the thumb is for a virtual position: the share of the track is the share of the rows in view. */
export function thumbGeometry(track: number, viewport: number, content: number, position: number, minThumb = MIN_THUMB_PX): ThumbGeometry {
  const maxPosition = Math.max(0, content - viewport);
  if (track <= 0 || maxPosition <= 0) return { top: 0, height: Math.max(0, track), travel: 0, scrollable: false };
  const height = Math.min(track, Math.max(minThumb, (track * viewport) / content));
  const travel = Math.max(0, track - height);
  const share = Math.min(1, Math.max(0, position / maxPosition));
  return { top: share * travel, height, travel, scrollable: true };
}

/**
 * The virtual position for a thumb whose top the pointer puts at `thumbTop` (px from the track's
 * top; any number, the pointer may be far outside the window): clamped to [0, maxPosition].
 */
export function positionFromThumb(thumbTop: number, travel: number, maxPosition: number): number {
  if (travel <= 0 || maxPosition <= 0 || !Number.isFinite(thumbTop)) return thumbTop > 0 ? Math.max(0, maxPosition) : 0;
  const share = Math.min(1, Math.max(0, thumbTop / travel));
  return share * maxPosition;
}
