import { z } from 'zod'

// Runs before the app's own code in the browser. The pages' CSP forbids eval, and zod's JIT
// probes `new Function` when its first object schema is built: the probe fails harmlessly but the
// browser reports it as a CSP violation. Browsers parse little, so zod's interpreter is plenty.
z.config({ jitless: true })
