import type { z } from 'zod';

/** One command of the contract: its input and output schemas and a line for people. */
export interface CommandSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}

export function command<I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): CommandSpec<I, O> {
  return { input, output, summary };
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P;
  summary: string;
}

export function event<P extends z.ZodType>(summary: string, payload: P): EventSpec<P> {
  return { payload, summary };
}
