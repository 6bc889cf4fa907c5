/**
 * Re-indents JSON text without parsing it into JavaScript values, so numbers keep every digit
 * (JSON.parse would turn 12345678901234567890 into 12345678901234567000). Returns null when the
 * text is not JSON.
 */
export function prettyJson(text: string, indent = 2): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  let out = '';
  let depth = 0;
  let inString = false;
  const pad = () => '\n' + ' '.repeat(depth * indent);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    switch (ch) {
      case '"':
        inString = true;
        out += ch;
        break;
      case '{':
      case '[': {
        // Empty containers stay on one line.
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === (ch === '{' ? '}' : ']')) {
          out += ch + text[j];
          i = j;
        } else {
          depth++;
          out += ch + pad();
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        out += pad() + ch;
        break;
      case ',':
        out += ',' + pad();
        break;
      case ':':
        out += ': ';
        break;
      default:
        if (!/\s/.test(ch)) out += ch;
    }
  }
  return out;
}
