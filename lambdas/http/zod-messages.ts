// The Lambda code validates with `zod/mini`, the tree-shakable build (about 20 KB in a bundle against
// 90 KB for the chained API, and a fraction of its module init). Unlike the chained API it loads no
// messages of its own; this gives it the same English ones, so every error text stays what it was.
// Each file that defines a schema imports this file for that effect.

import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());
