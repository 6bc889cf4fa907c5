/**
 * The page's CSP nonce for <style> elements, put into index.html by the shell that served it (a
 * fresh one per load, the same one in the Content-Security-Policy header). Null when the page was
 * served some other way (then only stylesheets from the app apply).
 */
export const cspNonce: string | null = (() => {
  const value = document.querySelector('meta[name="dbdesk-csp-nonce"]')?.getAttribute('content') ?? '';
  return value !== '' && !value.startsWith('__') ? value : null;
})();
