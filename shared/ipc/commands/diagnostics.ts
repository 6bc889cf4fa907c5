import { z } from 'zod';
import { command, event } from '../define';
import { ConnectionFields } from '../../model/connection';
import { DiagnosticProgress, DiagnosticRun } from '../../model/diagnostics';

/**
 * What to diagnose: a saved profile, or a draft from the connection editor (which may not be saved
 * yet). A draft's password travels renderer → core only, as in `connections.test`.
 */
export const DiagnosticSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('profile'), profileId: z.string().min(1).max(64) }).strict(),
  z
    .object({
      kind: z.literal('draft'),
      fields: ConnectionFields,
      /** A string sets it, null means none, absent uses the stored password of `id` (if any). */
      password: z.string().max(4096).nullable().optional(),
      /** The SSH password and key passphrase, the same way. */
      sshPassword: z.string().max(4096).nullable().optional(),
      sshPassphrase: z.string().max(4096).nullable().optional(),
      id: z.string().min(1).max(64).optional(),
    })
    .strict(),
]);
export type DiagnosticSubject = z.infer<typeof DiagnosticSubject>;

export const diagnosticsCommands = {
  'diagnostics.run': command(
    'Runs the connection diagnostics step by step in the window’s worker; each step arrives as a diagnostics.step event.',
    z
      .object({
        /** Chosen by the caller so it can match the live events to its run before the answer arrives. */
        runId: z.string().min(8).max(64),
        subject: DiagnosticSubject,
        /** Overrides every step's own timeout (ms). */
        stepTimeoutMs: z.number().int().min(100).max(120_000).optional(),
      })
      .strict(),
    DiagnosticRun,
  ),
};

export const diagnosticsEvents = {
  'diagnostics.step': event('Progress of a diagnosis: its plan, then each step as it starts and as it finishes.', DiagnosticProgress),
};
