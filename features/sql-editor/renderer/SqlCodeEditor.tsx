import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { MariaSQL, MySQL, PostgreSQL, SQLite, sql, type SQLDialect } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorSelection, EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { forwardRef, useEffect, useEffectEvent, useImperativeHandle, useRef } from 'react';
import type { EngineKind } from '../../../shared/model/engine';
import { cspNonce } from '../../../renderer/src/app/csp-nonce';
import type { CompletionSchema } from './completion';
import { toNamespace } from './completion';
import { typeOverSelection } from './type-over-selection';

const dialects: Record<EngineKind, SQLDialect> = { postgresql: PostgreSQL, mysql: MySQL, mariadb: MariaSQL, sqlite: SQLite };

/** Colours come from the app's CSS variables, so the editor follows the light and dark themes. */
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--sql-keyword)', fontWeight: '600' },
  { tag: tags.string, color: 'var(--sql-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--sql-number)' },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--sql-comment)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--sql-type)' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--text-muted)' },
  { tag: [tags.special(tags.name), tags.special(tags.string)], color: 'var(--sql-ident)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-soft)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--sql-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--bg-selected) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--accent)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', border: '1px solid var(--border-strong)', borderRadius: '6px', boxShadow: 'var(--shadow)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', marginLeft: '1em', fontStyle: 'normal' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected] .cm-completionDetail': { color: 'inherit', opacity: '0.8' },
  '.cm-diagnostic-error': { borderLeft: '3px solid var(--danger)' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--danger)', textUnderlineOffset: '3px' },
  '.cm-placeholder': { color: 'var(--text-muted)' },
});

export interface EditorCommands {
  run(mode: 'cursor' | 'all'): void;
  explain(analyze: boolean): void;
  format(): void;
  cancel(): void;
  save(): void;
}

export interface SqlCodeEditorHandle {
  view(): EditorView | null;
  focus(): void;
  /** Text and selection now. */
  snapshot(): { text: string; selection: { from: number; to: number } };
  /** Puts the cursor at an offset and underlines [from, to) with a message (a server error). */
  markError(at: { from: number; to: number; message: string } | null): void;
  replace(from: number, to: number, text: string): void;
}

export interface SqlCodeEditorProps {
  engine: EngineKind;
  text: string;
  anchor: number;
  head: number;
  schema: CompletionSchema | undefined;
  label: string;
  commands: EditorCommands;
  onChange(text: string, anchor: number, head: number): void;
}

/**
 * CodeMirror 6 with the connection's SQL dialect and its live schema for completion. Its styles
 * go into a <style> element carrying the page's CSP nonce (the CSP allows no other inline style).
 */
export const SqlCodeEditor = forwardRef<SqlCodeEditorHandle, SqlCodeEditorProps>(function SqlCodeEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const latest = useRef(props);
  latest.current = props;

  // The editor is created once per tab; text changes flow out through onChange.
  const createEditor = useEffectEvent(() => {
    const { namespace, defaultSchema } = toNamespace(props.schema);
    const commands = (f: (c: EditorCommands) => void) => () => {
      f(latest.current.commands);
      return true;
    };
    const editorKeys = keymap.of([
      { key: 'Mod-Enter', run: commands((c) => c.run('cursor')) },
      { key: 'Shift-Mod-Enter', run: commands((c) => c.run('all')) },
      { key: 'F7', run: commands((c) => c.explain(false)) },
      { key: 'Mod-F7', run: commands((c) => c.explain(true)) },
      { key: 'Shift-Alt-f', run: commands((c) => c.format()) },
      { key: 'Mod-.', run: commands((c) => c.cancel()) },
      { key: 'Mod-s', run: commands((c) => c.save()) },
    ]);
    const state = EditorState.create({
      doc: props.text,
      selection: EditorSelection.single(Math.min(props.anchor, props.text.length), Math.min(props.head, props.text.length)),
      extensions: [
        ...(cspNonce ? [EditorView.cspNonce.of(cspNonce)] : []),
        Prec.highest(editorKeys),
        typeOverSelection,
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        autocompletion({ activateOnTyping: true, icons: false }),
        linter(null),
        lintGutter(),
        syntaxHighlighting(highlight),
        language.current.of(sql({ dialect: dialects[props.engine], schema: namespace, defaultSchema, upperCaseKeywords: true })),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap.filter((k) => k.key !== 'Mod-Enter' && k.key !== 'Shift-Mod-Enter'), ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        placeholder('Type SQL here. Ctrl/⌘+Enter runs the statement at the cursor (or the selection); Ctrl/⌘+Shift+Enter runs everything.'),
        EditorView.lineWrapping,
        theme,
        EditorView.contentAttributes.of({ 'aria-label': props.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged || u.selectionSet) {
            const sel = u.state.selection.main;
            latest.current.onChange(u.state.doc.toString(), sel.anchor, sel.head);
          }
        }),
      ],
    });
    const view = new EditorView({ state, parent: host.current! });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  });
  useEffect(() => createEditor(), []);

  // A newer schema (loaded, or reloaded after DDL) reconfigures completion in place.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const { namespace, defaultSchema } = toNamespace(props.schema);
    view.dispatch({ effects: language.current.reconfigure(sql({ dialect: dialects[props.engine], schema: namespace, defaultSchema, upperCaseKeywords: true })) });
  }, [props.schema, props.engine]);

  useImperativeHandle(ref, () => ({
    view: () => viewRef.current,
    focus: () => viewRef.current?.focus(),
    snapshot: () => {
      const v = viewRef.current!;
      const sel = v.state.selection.main;
      return { text: v.state.doc.toString(), selection: { from: sel.from, to: sel.to } };
    },
    markError: (at) => {
      const v = viewRef.current;
      if (!v) return;
      if (!at) {
        v.dispatch(setDiagnostics(v.state, []));
        return;
      }
      const len = v.state.doc.length;
      const from = Math.min(at.from, len);
      const to = Math.min(Math.max(at.to, from), len);
      const diagnostic: Diagnostic = { from, to, severity: 'error', message: at.message };
      v.dispatch({ ...setDiagnostics(v.state, [diagnostic]), selection: { anchor: from }, scrollIntoView: true });
    },
    replace: (from, to, text) => {
      const v = viewRef.current;
      if (!v) return;
      v.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
    },
  }));

  return (
    <div
      ref={host}
      className="sql-code"
      // Keys the editor handled stay with it: the app's own shortcuts must not act on them too.
      onKeyDown={(e) => {
        if (e.defaultPrevented) e.stopPropagation();
      }}
    />
  );
});
