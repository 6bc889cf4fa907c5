import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

export interface Download {
  path: string;
  name: string;
}

const MAX_DOWNLOADS = 200;

/**
 * Files the core wrote for this process's windows that the browser shell may hand to the browser
 * (`/<token>/download/<id>`). Only files registered here are served — never an arbitrary path.
 */
export class DownloadRegistry {
  private readonly files = new Map<string, Download>();

  register(path: string): string {
    const id = randomBytes(12).toString('base64url');
    this.files.set(id, { path, name: basename(path) });
    if (this.files.size > MAX_DOWNLOADS) this.files.delete(this.files.keys().next().value!);
    return id;
  }

  get(id: string): Download | undefined {
    return this.files.get(id);
  }
}
