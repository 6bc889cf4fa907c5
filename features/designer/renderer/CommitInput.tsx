import { useEffect, useState, type InputHTMLAttributes } from 'react';

/**
 * A text input that changes the design when a person is done (Enter or leaving the field), not on
 * every keystroke: one undo step per edit. Escape puts the value back. If the edit is refused the
 * field shows the design's value again (the reason appears above the panel).
 */
export function CommitInput(props: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & { value: string; onCommit(value: string): boolean | void }) {
  const { value, onCommit, ...rest } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text === value) return;
    if (onCommit(text) === false) setText(value);
  };
  return (
    <input
      {...rest}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        } else if (e.key === 'Escape') {
          setText(value);
          e.currentTarget.blur();
        }
        rest.onKeyDown?.(e);
      }}
    />
  );
}
