import type { EventName } from './contract';

/**
 * Event fields that carry one large block of bytes (a streamed batch's rows, encoded where they
 * were read: shared/model/columnar-batch.ts). No hop looks inside: the worker transfers the buffer
 * to the main thread, the WebSocket transport sends it as a binary frame of its own right after the
 * event, Electron's structured clone copies it as it is, and the window decodes only what it shows.
 */
export const bulkFields: Partial<Record<EventName, string>> = {
  'query.batch': 'values',
};

