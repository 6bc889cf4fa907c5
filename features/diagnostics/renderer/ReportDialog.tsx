import { useMemo, useState, type ReactNode } from 'react';
import { buildDiagnosticReport } from '../shared/report';
import type { DiagnosticRun } from '../../../shared/model/diagnostics';
import { Dialog } from '../../../renderer/src/ui/Dialog';
import { toast } from '../../../renderer/src/ui/toasts';
import { plural } from '../../../shared/text/plural';

/** Tokens the redaction put in, highlighted in the preview so the user sees what was taken out. */
const REDACTED = /(\[secret removed\]|\[private key removed\]|\(hidden: masked report\)|\b(?:host|user|db|path)-\d+\b|\b[a-z-]+-ip-\d+\b)/g;

/**
 * Copy report: the exact text that will be copied, with a summary of what was removed (always:
 * secrets) and masked (on request: hosts, IPs, users, databases, paths — inside messages too).
 */
export function ReportDialog({ run, onClose }: { run: DiagnosticRun; onClose(): void }) {
  const [mask, setMask] = useState(false);
  const [format, setFormat] = useState<'markdown' | 'json'>('markdown');
  const report = useMemo(() => buildDiagnosticReport(run, { mask }), [run, mask]);
  const text = format === 'markdown' ? report.markdown : report.json;
  const m = report.summary.masked;
  const maskedParts = m ? [some(m.hosts, 'host'), some(m.ips, 'IP address', 'IP addresses'), some(m.users, 'user'), some(m.databases, 'database'), some(m.paths, 'path')].filter(Boolean) : [];

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast({ level: 'success', title: `Report copied as ${format === 'markdown' ? 'Markdown' : 'JSON'}` });
    } catch {
      // No clipboard permission (some browsers): select the preview so Ctrl+C copies it.
      const pre = document.getElementById('diag-report-preview');
      if (pre) window.getSelection()?.selectAllChildren(pre);
      toast({ level: 'warning', title: 'The clipboard is not available here', message: 'The report is selected: press Ctrl+C (⌘C) to copy it.' });
    }
  };

  return (
    <Dialog
      title="Copy diagnostic report"
      onClose={onClose}
      wide
      footer={
        <>
          <div className="segmented" role="radiogroup" aria-label="Format">
            {(['markdown', 'json'] as const).map((f) => (
              <button key={f} type="button" role="radio" aria-checked={format === f} className={`btn btn-small${format === f ? ' selected' : ''}`} onClick={() => setFormat(f)}>
                {f === 'markdown' ? 'Markdown' : 'JSON'}
              </button>
            ))}
          </div>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Close
          </button>
          <button className="btn btn-primary" onClick={() => void copy()} data-autofocus>
            Copy {format === 'markdown' ? 'Markdown' : 'JSON'}
          </button>
        </>
      }
    >
      <div className="report-options">
        <label className="checkbox">
          <input type="checkbox" checked={mask} onChange={(e) => setMask(e.target.checked)} /> Mask host names, IP addresses, user, database and file names (also inside server messages)
        </label>
        <p className="report-summary" role="status" aria-live="polite">
          <strong>Removed:</strong> {report.summary.secretsRemoved === 0 ? 'no secret occurred in the results' : plural(report.summary.secretsRemoved, 'secret')} — passwords, keys and connection-string
          secrets are always removed.
          {m && (
            <>
              {' '}
              <strong>Masked:</strong> {maskedParts.length ? maskedParts.join(', ') : 'nothing to mask'}.
            </>
          )}
        </p>
        {report.legend.length > 0 && (
          <details className="report-legend">
            <summary>What the pseudonyms stand for (shown here only, never copied)</summary>
            <ul>
              {report.legend.map((l) => (
                <li key={l.pseudonym}>
                  <code>{l.pseudonym}</code> = <code>{l.original}</code>
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <pre id="diag-report-preview" className="report-preview" tabIndex={0} aria-label="Report preview">
        {highlight(text)}
      </pre>
    </Dialog>
  );
}

function highlight(text: string): ReactNode[] {
  return text.split(REDACTED).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}

/** A count worth saying: nothing for none. */
function some(n: number, one: string, many?: string): string {
  return n === 0 ? '' : plural(n, one, many);
}
