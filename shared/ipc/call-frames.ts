import { z } from 'zod';

/**
 * The frames of a call's life besides its invocation: the id a caller gives a call so that it can
 * cancel it, and the cancel frame itself. Both shells check what they receive against these, like
 * every command input (the WebSocket's `{type:'cancel', id}` frame; Electron's `dbdesk:cancel` channel
 * carries the id alone).
 */
export const CallId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export type CallId = z.infer<typeof CallId>;

/** Sent by a window to stop one of its calls in flight; it has no answer of its own (the call answers). */
export const CancelFrame = z.object({ type: z.literal('cancel'), id: CallId }).strict();
export type CancelFrame = z.infer<typeof CancelFrame>;

/** What a call cancelled before it was sent answers, and the message a handler's abort becomes. */
export const CANCELLED_MESSAGE = 'Cancelled.';
