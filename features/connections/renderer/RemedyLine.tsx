import { Remedy, remedyAudienceLabels } from '../../../shared/model/diagnostics';

/**
 * The one-line remedy the core gave a failed connection (the words Diagnose gives for its class),
 * with who can act on it. Nothing when the error carries none.
 */
export function RemedyLine({ remedy }: { remedy: unknown }) {
  const parsed = Remedy.safeParse(remedy);
  if (!parsed.success) return null;
  return (
    <p className={`remedy remedy-${parsed.data.audience}`} aria-label="What to do">
      <span className="audience-badge">{remedyAudienceLabels[parsed.data.audience]}</span> {parsed.data.text}
    </p>
  );
}
