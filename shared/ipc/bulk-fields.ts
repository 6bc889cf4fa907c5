import type { EventName } from './contract';

/**
 * Event fields that carry one large block of data as JSON text (a streamed batch's rows, encoded
 * where they were read). Every hop copies one string: the WebSocket transport sends it as a frame
 * of its own right after the event (no escaping inside the event's JSON, no unescaping in the
 * window), Electron's structured clone copies it as it is, and the window decodes only what it shows.
 */
export const bulkFields: Partial<Record<EventName, string>> = {
  'query.batch': 'values',
};

