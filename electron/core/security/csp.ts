import { randomBytes } from 'node:crypto';

/**
 * The one Content-Security-Policy of the renderer, for both shells: scripts and styles only from
 * the app itself, nothing inline, no plugins, no frames, no forms, and network access only to the
 * app's own transport. The one exception is a per-page nonce for <style> elements: the SQL
 * editor (CodeMirror) writes its styles into one, tagged with that nonce. Never 'unsafe-inline'.
 */
export function contentSecurityPolicy(options: { connectSrc?: readonly string[]; styleNonce?: string } = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  if (options.styleNonce !== undefined && !/^[A-Za-z0-9+/_-]{22,}={0,2}$/.test(options.styleNonce)) throw new Error('A CSP nonce must be base64 of at least 16 random bytes.');
  return [
    "default-src 'none'",
    "script-src 'self'",
    options.styleNonce ? `style-src 'self' 'nonce-${options.styleNonce}'` : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every renderer response carries besides the CSP. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // The browser shell's URL carries its token: never leak it in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};

/** A fresh nonce for one page load (144 random bits). */
export function newCspNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The placeholder in index.html's `<meta name="dbdesk-csp-nonce">`, replaced per response. */
export const CSP_NONCE_PLACEHOLDER = '__DBDESK_CSP_NONCE__';

/**
 * A renderer file as both shells serve it: index.html gets a fresh nonce in its meta tag and the
 * same nonce in its CSP header; every other file gets the plain CSP.
 */
export function rendererHeadersAndBody(file: { body: Buffer; type: string }, options: { connectSrc?: readonly string[] } = {}): { body: Buffer; headers: Record<string, string> } {
  if (!file.type.startsWith('text/html')) {
    return { body: file.body, headers: { 'Content-Type': file.type, 'Content-Security-Policy': contentSecurityPolicy(options), ...securityHeaders } };
  }
  const nonce = newCspNonce();
  const body = Buffer.from(file.body.toString('utf8').split(CSP_NONCE_PLACEHOLDER).join(nonce), 'utf8');
  return { body, headers: { 'Content-Type': file.type, 'Content-Security-Policy': contentSecurityPolicy({ ...options, styleNonce: nonce }), ...securityHeaders } };
}
