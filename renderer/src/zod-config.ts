import { z } from 'zod';

// zod probes for eval (`Function('')`) before compiling fast parsers; the CSP forbids eval, so the
// probe only raises a securitypolicyviolation report. Imported first by main.tsx, before any module
// that parses with zod, so zod takes the eval-free path from the start.
z.config({ jitless: true });
