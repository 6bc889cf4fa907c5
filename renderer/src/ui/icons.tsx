/** Small line icons as inline SVG: emoji and symbol glyphs depend on fonts a machine may lack. */
const paths: Record<string, string> = {
  play: 'M5 3.5v9l7.5-4.5z',
  eject: 'M8 3 3 9h10zM3 11h10v2H3z',
  edit: 'M11 2.5l2.5 2.5L6 12.5H3.5V10zM9.5 4l2.5 2.5',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9M7 7v4.5M9 7v4.5',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3',
  close: 'M4 4l8 8M12 4l-8 8',
  help: 'M6 6a2 2 0 1 1 2.8 1.8c-.5.3-.8.7-.8 1.2v.5M8 11.5v.5',
};

export function Icon({ name, size = 14, label }: { name: keyof typeof paths; size?: number; label?: string }) {
  const filled = name === 'play' || name === 'eject';
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden={label ? undefined : true}
      aria-label={label}
      role={label ? 'img' : undefined}
      fill={filled ? 'currentColor' : 'none'}
      stroke={filled ? 'none' : 'currentColor'}
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={paths[name]} />
    </svg>
  );
}
