import type { z } from 'zod';
import { commands, isCommandName, type CommandName, type CommandOutput, type CommandParsedInput } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/errors';
import type { AppCore } from './app-core';
import { toIpcError } from './errors';
import type { Session } from './session/session';

export interface HandlerContext {
  core: AppCore;
  session: Session;
}

export type Handler<N extends CommandName> = (input: CommandParsedInput<N>, ctx: HandlerContext) => Promise<CommandOutput<N>>;

/** Marks a command the session's worker answers: the router validates, the worker runs. */
export const IN_WORKER = Symbol('in-worker');

export type HandlerMap<Names extends CommandName = CommandName> = { [N in Names]: Handler<N> | typeof IN_WORKER };

/** Says in words which fields of a payload are wrong. */
export function describeZodError(error: z.ZodError): { message: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(payload)', message: i.message }));
  const message = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  return { message, issues };
}

/**
 * Command name → handler. Every input is checked against the contract before a handler runs,
 * so a malformed payload gets an `invalid-input` answer and nothing else happens. Outputs are
 * checked too when DBDESK_VALIDATE_OUTPUT=1 (the tests turn it on).
 */
export class Router {
  private readonly validateOutput = process.env.DBDESK_VALIDATE_OUTPUT === '1';

  constructor(private readonly handlers: HandlerMap) {}

  async handle(ctx: HandlerContext, name: unknown, input: unknown): Promise<IpcResult> {
    if (!isCommandName(name)) {
      return { ok: false, error: { code: 'unknown-command', message: `There is no command named ${JSON.stringify(String(name)).slice(0, 100)}.` } };
    }
    const spec = commands[name];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const { message, issues } = describeZodError(parsed.error);
      return { ok: false, error: { code: 'invalid-input', message: `Invalid input for ${name}: ${message}`, detail: { issues } } };
    }
    let result: IpcResult;
    try {
      const handler = this.handlers[name] as Handler<CommandName> | typeof IN_WORKER;
      result = handler === IN_WORKER ? await ctx.session.send(name, parsed.data) : { ok: true, value: await handler(parsed.data as never, ctx) };
    } catch (err) {
      return { ok: false, error: toIpcError(err) };
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
