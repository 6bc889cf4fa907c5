import { z } from 'zod';

// zod probes for eval (`Function('')`) when an object schema is built; the CSP forbids eval, so the
// probe only raises a securitypolicyviolation report. This must run before any schema is built:
// main.tsx imports it first, and vite.config.mts puts it in zod's own chunk, which every chunk that
// defines schemas imports (and so runs) before its own code.
z.config({ jitless: true });
