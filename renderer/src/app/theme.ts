import type { ThemePreference } from '../../../shared/ipc/commands/app';

const media = window.matchMedia('(prefers-color-scheme: dark)');
let preference: ThemePreference = 'system';

function resolved(): 'light' | 'dark' {
  return preference === 'system' ? (media.matches ? 'dark' : 'light') : preference;
}

/** Sets data-theme on <html>; "system" follows the OS and keeps following it. */
export function applyTheme(pref: ThemePreference): void {
  preference = pref;
  document.documentElement.dataset.theme = resolved();
  document.documentElement.dataset.themePreference = pref;
}

media.addEventListener('change', () => applyTheme(preference));

export function currentTheme(): 'light' | 'dark' {
  return resolved();
}
