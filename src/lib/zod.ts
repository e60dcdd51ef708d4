/**
 * zod, configured once for the whole app. zod would otherwise probe for eval (`new Function`)
 * to compile faster validators; the Content-Security-Policy forbids eval (`script-src` has no
 * 'unsafe-eval'), so that probe is refused and reported as a violation. The files we validate
 * (mapping files, survey files) are small: the plain validators are fast enough. Import `z`
 * from here, never from 'zod' directly.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
