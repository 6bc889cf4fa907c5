import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Welcome } from '../../../features/connections/renderer/Welcome';

/** Issue 17, item 6: with saved connections listed, the welcome says how to pick one instead of asking to add one. */
describe('the welcome with nothing selected', () => {
  const text = (saved: number) => renderToStaticMarkup(<Welcome saved={saved} />).replace(/<[^>]+>/g, ' ');

  it('asks to add a connection only when there is none', () => {
    expect(text(0)).toMatch(/Add a connection to PostgreSQL, MySQL, MariaDB or SQLite to begin\./);
  });

  it('with saved connections, says they are listed and how to pick and connect one', () => {
    expect(text(6)).toMatch(/6 saved connections are listed on the left: pick one/);
    expect(text(1)).toMatch(/One saved connection is listed on the left/);
    for (const n of [1, 6]) {
      expect(text(n)).not.toMatch(/Add a connection/);
      expect(text(n)).toMatch(/Go to the connections/);
    }
  });
});
