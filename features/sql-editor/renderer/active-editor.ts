import type { MutableRefObject } from 'react';
import type { EditorCommands } from './SqlCodeEditor';

interface ActiveEditor {
  profileId: string;
  tabId: string;
  commands: MutableRefObject<EditorCommands>;
  focus(): void;
}

let active: ActiveEditor | null = null;

/** The editor of the SQL tab in view, for the app's shortcuts; returns the unregister function. */
export function registerActiveEditor(editor: ActiveEditor): () => void {
  active = editor;
  return () => {
    if (active === editor) active = null;
  };
}

export function activeEditor(): ActiveEditor | null {
  return active;
}
