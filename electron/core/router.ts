import type { z } from 'zod';
import { commands, isCommandName, type CommandName, type CommandOutput, type CommandParsedInput } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/errors';
import { illFormedTextAt } from '../../shared/ipc/limits';
import type { AppCore } from './app-core';
import { cancelledError, toIpcError } from './errors';
import type { Session } from './session/session';

export interface HandlerContext {
  core: AppCore;
  session: Session;
  /**
   * Aborted when the caller cancels this call (the window's cancel frame, or its window going away).
   * A handler passes it on to whatever it waits for; a handler in the worker gets the same signal
   * there (`WorkerCallContext.signal`). A call that stops because of it answers `cancelled`.
   */
  signal: AbortSignal;
}

export type Handler<N extends CommandName> = (input: CommandParsedInput<N>, ctx: HandlerContext) => Promise<CommandOutput<N>>;

/** Marks a command the session's worker answers: the router validates, the worker runs. */
export const IN_WORKER = Symbol('in-worker');

export type HandlerMap<Names extends CommandName = CommandName> = { [N in Names]: Handler<N> | typeof IN_WORKER };

/** How much of a caller's own text an error may quote: enough to recognise it, never a copy of a huge input. */
const QUOTE_CHARS = 100;
/** Issues listed in an invalid-input answer; a payload wrong in 10,000 places gets the first of them and a count. */
const MAX_ISSUES = 20;
const MAX_ISSUE_MESSAGE = 300;
/** The longest error message any answer carries (a server's own error text included). */
const MAX_ERROR_MESSAGE = 8_000;

/** A piece of input quoted in an error: cut to QUOTE_CHARS, said to be cut. */
function quote(text: string): string {
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}… (${text.length} characters)`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (cut)`;
}

/** Says in words which fields of a payload are wrong, quoting no more of the payload than a glance needs. */
export function describeZodError(error: z.ZodError): { message: string; issues: { path: string; message: string }[] } {
  const all = error.issues.map((i) => ({
    path: i.path.map((p) => quote(String(p))).join('.') || '(payload)',
    // Zod's own words quote unknown keys whole ("Unrecognized key: …"): say how many instead.
    message: i.code === 'unrecognized_keys' ? unknownKeysMessage(i.keys) : cut(i.message, MAX_ISSUE_MESSAGE),
  }));
  const issues = all.slice(0, MAX_ISSUES);
  const message =
    issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ') + (all.length > 5 ? `; and ${all.length - 5} more` : '');
  if (all.length > MAX_ISSUES) issues.push({ path: '(payload)', message: `${all.length - MAX_ISSUES} more issues not listed` });
  return { message, issues };
}

function unknownKeysMessage(keys: readonly string[]): string {
  const shown = keys.slice(0, 3).map((k) => JSON.stringify(quote(k)));
  return `unknown field${keys.length === 1 ? '' : 's'} ${shown.join(', ')}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''}`;
}

/** Why a name is not a command, quoting no more of it than a glance needs and never calling into the caller's object. */
function unknownCommandMessage(name: unknown): string {
  if (typeof name === 'string') return `There is no command named ${JSON.stringify(quote(name))}.`;
  if (name === undefined) return 'The call names no command.';
  const kind = name === null ? 'null' : Array.isArray(name) ? 'an array' : typeof name === 'object' ? 'an object' : `a ${typeof name}`;
  return `A command name must be a string, not ${kind}.`;
}

/** Every answer's error stays a size a window can show: long server texts are cut, never the structure. */
function bounded(result: IpcResult): IpcResult {
  if (result.ok || result.error.message.length <= MAX_ERROR_MESSAGE) return result;
  return { ok: false, error: { ...result.error, message: cut(result.error.message, MAX_ERROR_MESSAGE) } };
}

/**
 * Command name → handler. Every input is checked against the contract before a handler runs,
 * so a malformed payload gets an `invalid-input` answer and nothing else happens. Outputs are
 * checked too when DBDESK_VALIDATE_OUTPUT=1 (the tests turn it on).
 */
export class Router {
  private readonly validateOutput = process.env.DBDESK_VALIDATE_OUTPUT === '1';

  constructor(private readonly handlers: HandlerMap) {}

  /** Answers every call with a result, whatever it carries: this never throws and never rejects. */
  async handle(ctx: HandlerContext, name: unknown, input: unknown): Promise<IpcResult> {
    try {
      return bounded(await this.route(ctx, name, input));
    } catch (err) {
      return bounded({ ok: false, error: toIpcError(err) });
    }
  }

  private async route(ctx: HandlerContext, name: unknown, input: unknown): Promise<IpcResult> {
    if (!isCommandName(name)) {
      return { ok: false, error: { code: 'unknown-command', message: unknownCommandMessage(name) } };
    }
    const spec = commands[name];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const { message, issues } = describeZodError(parsed.error);
      return { ok: false, error: { code: 'invalid-input', message: `Invalid input for ${name}: ${message}`, detail: { issues } } };
    }
    const broken = illFormedTextAt(parsed.data);
    if (broken !== null) {
      const message = `${quote(broken)}: the text holds half of a UTF-16 pair (a lone surrogate), which is not Unicode and could not be kept as it is.`;
      return { ok: false, error: { code: 'invalid-input', message: `Invalid input for ${name}: ${message}`, detail: { issues: [{ path: quote(broken), message }] } } };
    }
    // Cancelled while it waited to be read: nothing runs.
    if (ctx.signal.aborted) return { ok: false, error: cancelledError() };
    let result: IpcResult;
    try {
      const handler = this.handlers[name] as Handler<CommandName> | typeof IN_WORKER;
      result = handler === IN_WORKER ? await ctx.session.send(name, parsed.data, ctx.signal) : { ok: true, value: await handler(parsed.data as never, ctx) };
    } catch (err) {
      return { ok: false, error: toIpcError(err, 'internal', [], ctx.signal) };
    }
    if (result.ok && this.validateOutput) {
      const out = spec.output.safeParse(result.value);
      if (!out.success) {
        return { ok: false, error: { code: 'internal', message: `The answer to ${name} broke the contract: ${describeZodError(out.error).message}` } };
      }
    }
    return result;
  }
}
