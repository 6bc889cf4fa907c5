import { EditorView } from '@codemirror/view';

/**
 * Typing over a selection is done by the editor, not by the browser. Left to Chromium, the
 * keystroke that replaces a whole highlighted token (a double-clicked keyword) carries the token's
 * look along as `<span style="font-weight: 600; color: …">` — an inline style the page's CSP
 * refuses (and reports), before CodeMirror reads the text back. Here the keystroke becomes an
 * ordinary editor transaction: input handlers (bracket closing) and completion see it as typing.
 */
export const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== 'insertText' || !event.data || view.composing) return false;
    if (view.state.selection.ranges.every((r) => r.empty)) return false;
    event.preventDefault();
    const text = event.data;
    const { from, to } = view.state.selection.main;
    const insert = () => view.state.update(view.state.replaceSelection(text), { userEvent: 'input.type', scrollIntoView: true });
    if (!view.state.facet(EditorView.inputHandler).some((handler) => handler(view, from, to, text, insert))) view.dispatch(insert());
    return true;
  },
});
