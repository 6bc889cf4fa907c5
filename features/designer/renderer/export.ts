import { neighbourhood } from '../shared/graph';
import { layoutDesign, type Point } from '../shared/layout';
import { diagramSvg, type SvgTheme } from '../shared/svg-export';
import type { DesignerSession } from './designer-session';

/** Saves text as a file through the browser's download (the same in Electron and the browser shell). */
export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The picture's colours from the current theme's CSS variables. */
function themeColours(): SvgTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { background: v('--bg'), node: v('--bg'), header: v('--bg-sunken'), headerText: v('--text'), text: v('--text'), muted: v('--text-muted'), border: v('--border-strong'), edge: v('--text-muted'), key: v('--warning') };
}

/** What is on screen: the focused neighbourhood (laid out on its own) or every table. */
function picture(session: DesignerSession) {
  const { focus, positions } = session.state;
  const design = session.design;
  if (focus) {
    const only = neighbourhood(design, focus.tableId, focus.depth);
    return diagramSvg(design, layoutDesign(design, only), themeColours(), { only });
  }
  return diagramSvg(design, new Map<string, Point>(Object.entries(positions)), themeColours());
}

function baseName(session: DesignerSession): string {
  const src = session.source;
  const name = src.kind === 'scratch' ? src.title : src.schema;
  return `${name.replace(/[^\w.-]+/g, '_')}-diagram`;
}

export function exportSvg(session: DesignerSession): string {
  const { svg } = picture(session);
  const file = `${baseName(session)}.svg`;
  downloadText(file, svg, 'image/svg+xml');
  return file;
}

/** Draws the SVG onto a canvas at up to 2× scale (smaller for huge diagrams, so the browser can hold it). */
export async function exportPng(session: DesignerSession): Promise<string> {
  const { svg, width, height } = picture(session);
  const maxSide = 16_000;
  const maxArea = 120_000_000;
  const scale = Math.max(0.1, Math.min(2, maxSide / width, maxSide / height, Math.sqrt(maxArea / (width * height))));
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The diagram could not be drawn as an image.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw the diagram (no 2D canvas).');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png'));
    const file = `${baseName(session)}.png`;
    downloadBlob(file, blob);
    return file;
  } finally {
    URL.revokeObjectURL(url);
  }
}
