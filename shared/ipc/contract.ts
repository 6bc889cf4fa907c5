import type { z } from 'zod';
import { appCommands, appEvents } from './commands/app';
import { backupCommands, backupEvents } from './commands/backup';
import { connectionCommands, connectionEvents } from './commands/connections';
import { designerCommands } from './commands/designer';
import { diagnosticsCommands, diagnosticsEvents } from './commands/diagnostics';
import { galeraCommands, galeraEvents } from './commands/galera';
import { hostCommands } from './commands/host';
import { importCommands, importEvents } from './commands/import';
import { migrationCommands, migrationEvents } from './commands/migrations';
import { queryCommands, queryEvents } from './commands/query';
import { schemaCommands } from './commands/schema';
import { schemaCompareCommands, schemaCompareEvents } from './commands/schema-compare';
import { tableCommands, tableEvents } from './commands/table';

/** Every command DB Desk's core answers. Feature files declare them; this is the one list. */
export const commands = {
  ...appCommands,
  ...connectionCommands,
  ...schemaCommands,
  ...schemaCompareCommands,
  ...designerCommands,
  ...diagnosticsCommands,
  ...galeraCommands,
  ...hostCommands,
  ...importCommands,
  ...backupCommands,
  ...migrationCommands,
  ...queryCommands,
  ...tableCommands,
};

/** Every event the core pushes to a window. */
export const events = {
  ...appEvents,
  ...connectionEvents,
  ...diagnosticsEvents,
  ...galeraEvents,
  ...importEvents,
  ...backupEvents,
  ...migrationEvents,
  ...queryEvents,
  ...schemaCompareEvents,
  ...tableEvents,
};

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
